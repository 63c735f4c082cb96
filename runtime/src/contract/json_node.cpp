// Schema checks shared by every section of the contract.
#include "json_node.hpp"

#include <set>

#include "pmc/contract.hpp"

namespace pmc::contract {
namespace {

std::string kind_of(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::object: return "an object";
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::boolean: return "a boolean";
    case nlohmann::json::value_t::binary: return "binary data";
    case nlohmann::json::value_t::discarded: return "nothing";
    default: return "a number";
  }
}

std::string where(const std::string& pointer) { return pointer.empty() ? "the top level" : pointer; }

}  // namespace

void JsonNode::fail(const std::string& problem) const {
  throw ContractError(*origin_, document_->line_of(pointer_), problem);
}

void JsonNode::expect_object() const {
  if (!value_->is_object()) fail(where(pointer_) + " must be an object, found " + kind_of(*value_));
}

void JsonNode::expect_only_keys(std::initializer_list<const char*> known) const {
  expect_object();
  std::set<std::string> allowed(known.begin(), known.end());
  for (const auto& [key, value] : value_->items()) {
    if (allowed.count(key) == 0) {
      std::string list;
      for (const char* name : known) list += (list.empty() ? "" : ", ") + std::string(name);
      JsonNode(*document_, value, append_pointer(pointer_, key), *origin_)
          .fail("unknown key \"" + key + "\" in " + where(pointer_) + " (known keys: " + list + ")");
    }
  }
}

JsonNode JsonNode::member(const char* key) const {
  auto found = optional_member(key);
  if (!found) fail("missing key \"" + std::string(key) + "\" in " + where(pointer_));
  return *found;
}

std::optional<JsonNode> JsonNode::optional_member(const char* key) const {
  expect_object();
  auto found = value_->find(key);
  if (found == value_->end()) return std::nullopt;
  return JsonNode(*document_, *found, append_pointer(pointer_, key), *origin_);
}

std::vector<JsonNode> JsonNode::elements(bool allow_empty) const {
  if (!value_->is_array()) fail(where(pointer_) + " must be an array, found " + kind_of(*value_));
  if (!allow_empty && value_->empty()) fail(where(pointer_) + " must not be empty");
  std::vector<JsonNode> out;
  for (std::size_t i = 0; i < value_->size(); ++i) {
    out.emplace_back(*document_, (*value_)[i], append_pointer(pointer_, std::to_string(i)),
                     *origin_);
  }
  return out;
}

std::string JsonNode::as_string() const {
  if (!value_->is_string()) fail(where(pointer_) + " must be a string, found " + kind_of(*value_));
  const auto& text = value_->get_ref<const std::string&>();
  if (text.empty()) fail(where(pointer_) + " must not be empty");
  if (text.find('\0') != std::string::npos) fail(where(pointer_) + " must not contain NUL");
  return text;
}

bool JsonNode::as_bool() const {
  if (!value_->is_boolean()) {
    fail(where(pointer_) + " must be true or false, found " + kind_of(*value_));
  }
  return value_->get<bool>();
}

std::vector<std::string> JsonNode::as_string_list(bool allow_empty) const {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const JsonNode& element : elements(allow_empty)) {
    std::string text = element.as_string();
    if (!seen.insert(text).second) {
      element.fail("\"" + text + "\" appears twice in " + where(pointer_));
    }
    out.push_back(std::move(text));
  }
  return out;
}

}  // namespace pmc::contract
