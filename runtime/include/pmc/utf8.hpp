// Well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF). PostgreSQL and
// JSON refuse anything else, so pmc checks text before handing it to either.
#pragma once

#include <cstddef>
#include <string_view>

namespace pmc {

// The offset of the first byte that does not belong to a well-formed sequence, or npos.
std::size_t first_invalid_utf8(std::string_view text);

inline bool is_valid_utf8(std::string_view text) {
  return first_invalid_utf8(text) == std::string_view::npos;
}

}  // namespace pmc
