// JSON parsed with nlohmann's SAX interface so that every value remembers the line it stood on:
// a contract error can then name the line of the offending key, not only its JSON pointer.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>

namespace pmc::contract {

struct LocatedJson {
  nlohmann::json value;
  std::unordered_map<std::string, int> line_of_pointer;  // JSON pointer -> 1-based line

  // The line of `pointer`, or of its nearest ancestor that has one.
  int line_of(std::string pointer) const;
};

// Throws ContractError naming `origin` and the line on a syntax error or a duplicated key.
LocatedJson parse_located_json(std::string_view text, const std::string& origin);

std::string append_pointer(const std::string& pointer, std::string_view key);

}  // namespace pmc::contract
