// A read-only view of one value of a located JSON document that knows its JSON pointer, so every
// schema complaint can name the key, the line and what was expected.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "located_json.hpp"

namespace pmc::contract {

class JsonNode {
 public:
  JsonNode(const LocatedJson& document, const nlohmann::json& value, std::string pointer,
           const std::string& origin)
      : document_(&document), value_(&value), pointer_(std::move(pointer)), origin_(&origin) {}

  const std::string& pointer() const { return pointer_; }
  const nlohmann::json& raw() const { return *value_; }

  [[noreturn]] void fail(const std::string& problem) const;

  // Objects.
  void expect_object() const;
  void expect_only_keys(std::initializer_list<const char*> known) const;
  JsonNode member(const char* key) const;
  std::optional<JsonNode> optional_member(const char* key) const;

  // Arrays.
  std::vector<JsonNode> elements(bool allow_empty) const;

  // Scalars.
  std::string as_string() const;  // non-empty, no NUL
  bool as_bool() const;
  std::vector<std::string> as_string_list(bool allow_empty) const;  // unique entries

 private:
  const LocatedJson* document_;
  const nlohmann::json* value_;
  std::string pointer_;
  const std::string* origin_;
};

}  // namespace pmc::contract
