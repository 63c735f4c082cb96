// Reading libpg_query's JSON: names, type names with the typmod PostgreSQL stores, and default
// expressions in a form comparable with the catalog's pg_get_expr().
#include <cctype>

#include "extraction.hpp"

namespace pmc::resolution::detail {
namespace {

constexpr int kVarHeaderBytes = 4;  // VARHDRSZ, part of varchar/char/numeric typmods
constexpr int kIntervalFullPrecision = 0xFFFF;

// An integer A_Const; libpg_query omits zero, and prints negative ones as {} (a bug of this
// version), so read the digits from the text where the parser found them.
long integer_constant(const json& a_const, std::string_view text) {
  const json& ival = a_const.at("ival");
  if (ival.contains("ival")) return ival["ival"].get<long>();
  const auto location = a_const.value("location", -1);
  if (location < 0 || static_cast<std::size_t>(location) >= text.size()) return 0;
  std::size_t at = static_cast<std::size_t>(location);
  const bool negative = text[at] == '-';
  if (negative) ++at;
  while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at])) != 0) ++at;
  long value = 0;
  while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])) != 0) {
    value = value * 10 + (text[at++] - '0');
  }
  return negative ? -value : value;
}

std::string constant_text(const json& a_const, std::string_view text) {
  if (a_const.contains("ival")) return std::to_string(integer_constant(a_const, text));
  if (a_const.contains("fval")) return a_const["fval"].value("fval", "0");
  if (a_const.contains("sval")) return a_const["sval"].value("sval", "");
  if (a_const.contains("bsval")) return a_const["bsval"].value("bsval", "");
  if (a_const.contains("boolval"))
    return a_const["boolval"].value("boolval", false) ? "true" : "false";
  if (a_const.value("isnull", false)) return "NULL";
  return "";
}

json normalize(const json& node, std::string_view text) {
  if (node.is_array()) {
    json out = json::array();
    for (const json& item : node) out.push_back(normalize(item, text));
    return out;
  }
  if (!node.is_object()) return node;
  // The catalog stores the default coerced to the column's type: pg_get_expr() shows casts the
  // migration did not write ('x'::text). Casts are dropped on both sides.
  if (node.size() == 1 && node.contains("TypeCast")) {
    return normalize(node["TypeCast"].at("arg"), text);
  }
  if (node.size() == 1 && node.contains("A_Const")) {
    return json{{"const", constant_text(node["A_Const"], text)}};
  }
  json out = json::object();
  for (const auto& [key, value] : node.items()) {
    if (key == "location" || key == "funcformat") continue;
    // pg_get_expr() qualifies a function only when the search path would not find it.
    if (key == "funcname" && value.is_array() && value.size() == 2 &&
        string_value(value[0]) == "pg_catalog") {
      out[key] = json::array({value[1]});
      continue;
    }
    out[key] = normalize(value, text);
  }
  return out;
}

void collect_columns(const json& node, std::set<std::string>& names) {
  if (node.is_array()) {
    for (const json& item : node) collect_columns(item, names);
  } else if (node.is_object()) {
    if (node.contains("ColumnRef")) {
      const json& fields = member(node["ColumnRef"], "fields");
      if (!fields.empty() && fields.back().contains("String")) {
        names.insert(string_value(fields.back()));
      }
      return;
    }
    for (const auto& [key, value] : node.items()) collect_columns(value, names);
  }
}

}  // namespace

const json& member(const json& node, std::string_view key) {
  static const json kEmpty = json::object();
  if (!node.is_object()) return kEmpty;
  const auto found = node.find(key);
  return found == node.end() ? kEmpty : *found;
}

std::string string_value(const json& node) {
  if (node.contains("String")) return node["String"].value("sval", "");
  return node.value("sval", "");
}

std::vector<std::string> string_list(const json& items) {
  std::vector<std::string> out;
  for (const json& item : items) out.push_back(string_value(item));
  return out;
}

ObjectName relation_name(const json& range_var, ObjectKind kind, const Place& place) {
  ObjectName name;
  name.kind = kind;
  name.schema = range_var.value("schemaname", place.default_schema);
  name.name = range_var.value("relname", "");
  return name;
}

ObjectName qualified_name(const std::vector<std::string>& parts, ObjectKind kind,
                          const Place& place) {
  ObjectName name;
  name.kind = kind;
  name.name = parts.empty() ? std::string() : parts.back();
  name.schema = parts.size() >= 2 ? parts[parts.size() - 2] : place.default_schema;
  return name;
}

std::optional<std::string> string_constant(const json& node) {
  if (!node.is_object() || !node.contains("A_Const")) return std::nullopt;
  const json& constant = node["A_Const"];
  if (!constant.contains("sval")) return std::nullopt;
  return constant["sval"].value("sval", "");
}

ColumnExpectation column_type(const json& type_name, std::string_view text) {
  ColumnExpectation expectation;
  expectation.type_names = string_list(member(type_name, "names"));
  expectation.array_dimensions = static_cast<int>(member(type_name, "arrayBounds").size());
  std::vector<long> modifiers;
  for (const json& modifier : member(type_name, "typmods")) {
    if (!modifier.contains("A_Const") || !modifier["A_Const"].contains("ival")) {
      expectation.type_modifier_known = false;
      return expectation;
    }
    modifiers.push_back(integer_constant(modifier["A_Const"], text));
  }
  if (modifiers.empty()) return expectation;
  // The typmod encodings of PostgreSQL's built-in types (varchar.c, numeric.c, date.c, varbit.c).
  const bool builtin =
      expectation.type_names.size() == 2 && expectation.type_names[0] == "pg_catalog";
  const std::string base = builtin ? expectation.type_names[1] : std::string();
  long typmod = -1;
  if ((base == "varchar" || base == "bpchar") && modifiers.size() == 1) {
    typmod = modifiers[0] + kVarHeaderBytes;
  } else if (base == "numeric" && modifiers.size() <= 2) {
    const long scale = modifiers.size() == 2 ? modifiers[1] : 0;
    typmod = ((modifiers[0] << 16) | (scale & 0x7ff)) + kVarHeaderBytes;
  } else if ((base == "timestamp" || base == "timestamptz" || base == "time" || base == "timetz" ||
              base == "bit" || base == "varbit") &&
             modifiers.size() == 1) {
    typmod = modifiers[0];
  } else if (base == "interval" && modifiers.size() <= 2) {
    const long precision = modifiers.size() == 2 ? modifiers[1] : kIntervalFullPrecision;
    typmod = ((modifiers[0] & 0x7FFF) << 16) | (precision & 0xFFFF);
  } else {
    expectation.type_modifier_known = false;
    return expectation;
  }
  expectation.type_modifier = static_cast<int>(typmod);
  return expectation;
}

std::string normalized_expression(const json& expression, std::string_view text) {
  return normalize(expression, text).dump();
}

std::set<std::string> referenced_columns(const json& expression) {
  std::set<std::string> names;
  collect_columns(expression, names);
  return names;
}

}  // namespace pmc::resolution::detail
