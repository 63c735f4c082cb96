// Byte offsets <-> the line and character column a person reads, for UTF-8 text.
#include <algorithm>

#include "pmc/sql/parser.hpp"

namespace pmc::sql {
namespace {

// A UTF-8 continuation byte does not start a character.
bool starts_character(char byte) {
  return (static_cast<unsigned char>(byte) & 0xC0U) != 0x80U;
}

}  // namespace

SourcePosition position_of_byte(std::string_view text, std::size_t byte_offset) {
  SourcePosition position;
  const std::size_t stop = std::min(byte_offset, text.size());
  for (std::size_t i = 0; i < stop; ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else if (starts_character(text[i])) {
      ++position.column;
    }
  }
  return position;
}

std::size_t byte_of_character(std::string_view text, int one_based_character) {
  int seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (starts_character(text[i]) && ++seen == one_based_character) return i;
  }
  return text.size();
}

}  // namespace pmc::sql
