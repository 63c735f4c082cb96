// Where text stops being well-formed UTF-8, for the parser wrapper: libpg_query copies the bytes
// of string literals and dollar-quoted bodies into its JSON output as they are, and JSON (so
// nlohmann::json) refuses anything but UTF-8.
#pragma once

#include <cstddef>
#include <string_view>

namespace pmc::sql::detail {

// The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629: no
// overlongs, no surrogates, at most U+10FFFF), or std::string_view::npos when there is none.
std::size_t first_invalid_utf8(std::string_view text);

}  // namespace pmc::sql::detail
