// text[] literals: the array input syntax of PostgreSQL's array_in, quoted form only.
#include "pmc/sync/array_literal.hpp"

namespace pmc::sync {

std::string text_array_literal(const std::vector<Value>& values) {
  std::size_t size = 2;
  for (const Value& value : values) size += value ? value->size() + 3 : 5;
  std::string literal;
  literal.reserve(size + size / 16);
  literal += '{';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) literal += ',';
    if (!values[i]) {
      literal += "NULL";
      continue;
    }
    // Quoting every element keeps "NULL", blanks, braces and commas inside a value as text.
    const std::string& text = *values[i];
    literal += '"';
    std::size_t from = 0;
    for (std::size_t at = text.find_first_of("\"\\"); at != std::string::npos;
         at = text.find_first_of("\"\\", from)) {
      literal.append(text, from, at - from);
      literal += '\\';
      literal += text[at];
      from = at + 1;
    }
    literal.append(text, from, std::string::npos);
    literal += '"';
  }
  literal += '}';
  return literal;
}

}  // namespace pmc::sync
