// text[] literals: the array input syntax of PostgreSQL's array_in, quoted form only.
#include "pmc/sync/array_literal.hpp"

namespace pmc::sync {

std::string text_array_literal(const std::vector<Value>& values) {
  std::string literal = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) literal += ',';
    if (!values[i]) {
      literal += "NULL";
      continue;
    }
    // Quoting every element keeps "NULL", blanks, braces and commas inside a value as text.
    literal += '"';
    for (const char c : *values[i]) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  literal += '}';
  return literal;
}

}  // namespace pmc::sync
