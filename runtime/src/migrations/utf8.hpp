// Whether bytes are well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
#pragma once

#include <string_view>

namespace pmc::migrations {

bool is_valid_utf8(std::string_view bytes);

}  // namespace pmc::migrations
