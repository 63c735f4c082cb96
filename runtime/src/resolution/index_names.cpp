// The column names PostgreSQL puts into an index's generated name: ChooseIndexColumnNames and,
// for expressions, FigureColname (parse_target.c) over the raw parse tree.
#include <algorithm>

#include "extraction.hpp"

namespace pmc::resolution::detail {
namespace {

constexpr std::size_t kMaxIdentifierBytes = 63;  // NAMEDATALEN - 1

// pg_mbcliplen for UTF-8: at most `limit` bytes, never half a character.
std::string clipped(const std::string& text, std::size_t limit) {
  std::size_t length = std::min(text.size(), limit);
  while (length > 0 && length < text.size() &&
         (static_cast<unsigned char>(text[length]) & 0xC0U) == 0x80U) {
    --length;
  }
  return text.substr(0, length);
}

std::string last_string(const json& names) {
  for (auto it = names.rbegin(); it != names.rend(); ++it) {
    if (it->contains("String")) return string_value(*it);
  }
  return {};
}

std::string sql_value_function_name(const std::string& op) {
  std::string name = op.substr(op.find('_') + 1);  // SVFOP_CURRENT_TIME_N → CURRENT_TIME_N
  if (name.ends_with("_N")) name.resize(name.size() - 2);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

// FigureColnameInternal: the name and its strength (0 none, 1 a fallback, 2 a real name).
int figure_name(const json& node, std::string& name) {
  if (!node.is_object() || node.empty()) return 0;
  const std::string& type = node.begin().key();
  const json& body = node.begin().value();
  if (type == "ColumnRef") {
    const json& fields = member(body, "fields");
    if (!fields.empty() && fields.back().contains("String")) {
      name = string_value(fields.back());
      return 2;
    }
  } else if (type == "A_Indirection") {
    const json& indirection = member(body, "indirection");
    if (!indirection.empty() && indirection.back().contains("String")) {
      name = string_value(indirection.back());
      return 2;
    }
    return figure_name(member(body, "arg"), name);
  } else if (type == "FuncCall") {
    name = last_string(member(body, "funcname"));
    return 2;
  } else if (type == "A_Expr") {
    if (body.value("kind", "") == "AEXPR_NULLIF") {
      name = "nullif";
      return 2;
    }
  } else if (type == "TypeCast") {
    const int strength = figure_name(member(body, "arg"), name);
    if (strength <= 1) {
      name = last_string(member(body.at("typeName"), "names"));
      return 1;
    }
    return strength;
  } else if (type == "CollateClause") {
    return figure_name(member(body, "arg"), name);
  } else if (type == "CaseExpr") {
    std::string result_name;
    const int strength = figure_name(member(body, "defresult"), result_name);
    name = strength > 1 ? result_name : "case";
    return strength > 1 ? strength : 1;
  } else if (type == "A_ArrayExpr") {
    name = "array";
    return 2;
  } else if (type == "RowExpr") {
    name = "row";
    return 2;
  } else if (type == "CoalesceExpr") {
    name = "coalesce";
    return 2;
  } else if (type == "MinMaxExpr") {
    name = body.value("op", "") == "IS_GREATEST" ? "greatest" : "least";
    return 2;
  } else if (type == "SQLValueFunction") {
    name = sql_value_function_name(body.value("op", ""));
    return 2;
  }
  return 0;
}

}  // namespace

std::vector<std::string> index_column_names(const json& index_elements) {
  std::vector<std::string> names;
  for (const json& item : index_elements) {
    const json& element = item.contains("IndexElem") ? item["IndexElem"] : item;
    std::string original;
    if (element.contains("indexcolname")) {
      original = element["indexcolname"].get<std::string>();
    } else if (element.contains("name")) {
      original = element["name"].get<std::string>();
    } else if (std::string figured; figure_name(member(element, "expr"), figured) > 0) {
      original = figured;
    } else {
      original = "expr";
    }
    std::string current = original;
    for (int pass = 1; std::find(names.begin(), names.end(), current) != names.end(); ++pass) {
      const std::string suffix = std::to_string(pass);
      current = clipped(original, kMaxIdentifierBytes - suffix.size()) + suffix;
    }
    names.push_back(current);
  }
  return names;
}

}  // namespace pmc::resolution::detail
