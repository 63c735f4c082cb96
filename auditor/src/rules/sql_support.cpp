// Merging SQL literal facts and walking the call graph for the sql rules.
#include "rules/sql_support.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace pmc::audit {

std::vector<SqlLiteral> sql_literals(const AuditContext& context) {
  std::map<std::tuple<std::string, unsigned, unsigned>, SqlLiteral> merged;
  for (const UnitFacts& unit : context.units) {
    for (const SqlTextFact& text : unit.sql_texts) {
      if (context.relative(text.where).empty()) continue;  // outside the repository
      SqlLiteral& literal = merged[{text.where.file, text.where.line, text.where.column}];
      literal.where = text.where;
      literal.text = text.text;
      literal.functions.insert(text.function);
      literal.at_sql_call = literal.at_sql_call || text.at_sql_call;
    }
  }
  std::vector<SqlLiteral> literals;
  literals.reserve(merged.size());
  for (auto& [place, literal] : merged) literals.push_back(std::move(literal));
  return literals;
}

std::set<std::string> reachable_ids(const AuditContext& context, const std::vector<std::size_t>& starts) {
  std::vector<bool> seen(context.graph.size(), false);
  std::set<std::string> ids;
  for (const std::size_t start : starts) {
    if (seen[start]) continue;
    const Reach reach = context.graph.reach_from(start);
    for (const std::size_t index : reach.order()) {
      if (seen[index]) continue;
      seen[index] = true;
      ids.insert(context.graph.node(index).id);
    }
  }
  return ids;
}

std::vector<std::size_t> nodes_in_category(const AuditContext& context, const std::string& category) {
  std::vector<std::size_t> nodes;
  for (std::size_t index = 0; index < context.graph.size(); ++index) {
    const auto& categories = context.graph.node(index).categories;
    if (std::find(categories.begin(), categories.end(), category) != categories.end()) nodes.push_back(index);
  }
  return nodes;
}

bool uses_any(const SqlLiteral& literal, const std::set<std::string>& ids) {
  return std::any_of(literal.functions.begin(), literal.functions.end(),
                     [&](const std::string& id) { return ids.count(id) != 0; });
}

std::string quoted_excerpt(const std::string& text) {
  std::string flat;
  for (const char c : text) {
    if (c == '\n' || c == '\t' || c == '\r') {
      if (!flat.empty() && flat.back() != ' ') flat += ' ';
    } else {
      flat += c;
    }
  }
  if (flat.size() > 60) flat = flat.substr(0, 57) + "...";
  return "\"" + flat + "\"";
}

}  // namespace pmc::audit
