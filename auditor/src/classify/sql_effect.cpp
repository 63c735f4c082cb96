// Reads libpg_query's parse tree: the statement kinds that only read, and what hides a write
// inside them (data-changing CTEs, SELECT INTO, EXPLAIN ANALYZE of a write, setval() and the like).
#include "classify/sql_effect.hpp"

#include <algorithm>
#include <cctype>

#include "pmc/sql/parser.hpp"

namespace pmc::audit {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

class TreeReader {
 public:
  explicit TreeReader(const std::vector<std::string>& state_changing) {
    for (const std::string& name : state_changing) state_changing_.push_back(lower(name));
  }

  // Whether anything inside `node` writes: a write statement nested anywhere (a CTE, a
  // subquery), SELECT … INTO, or a call of a state-changing function.
  bool writes_inside(const nlohmann::json& node) const {
    if (node.is_array()) {
      return std::any_of(node.begin(), node.end(), [this](const auto& item) { return writes_inside(item); });
    }
    if (!node.is_object()) return false;
    for (const auto& [key, value] : node.items()) {
      if (key == "InsertStmt" || key == "UpdateStmt" || key == "DeleteStmt" || key == "MergeStmt") {
        return true;
      }
      if (key == "intoClause") return true;
      if (key == "FuncCall" && calls_state_changing(value)) return true;
      if (writes_inside(value)) return true;
    }
    return false;
  }

  bool statement_reads_only(const nlohmann::json& statement) const {
    if (!statement.is_object() || statement.size() != 1) return false;
    const auto only = statement.begin();
    const std::string& kind = only.key();
    const nlohmann::json& body = only.value();
    if (kind == "SelectStmt") return !writes_inside(body);
    if (kind == "VariableShowStmt" || kind == "VariableSetStmt" || kind == "TransactionStmt") {
      return !writes_inside(body);
    }
    if (kind == "ExplainStmt") {
      const bool analyze = body.contains("options") && has_option(body.at("options"), "analyze");
      if (!analyze) return true;  // EXPLAIN alone plans and runs nothing
      return body.contains("query") && statement_reads_only(body.at("query"));
    }
    return false;
  }

 private:
  static bool has_option(const nlohmann::json& options, const std::string& name) {
    for (const auto& option : options) {
      if (option.contains("DefElem") && option.at("DefElem").value("defname", "") == name) {
        return true;
      }
    }
    return false;
  }

  bool calls_state_changing(const nlohmann::json& call) const {
    if (!call.contains("funcname") || call.at("funcname").empty()) return false;
    const nlohmann::json& last = call.at("funcname").back();
    if (!last.contains("String")) return false;
    const std::string name = lower(last.at("String").value("sval", ""));
    return std::find(state_changing_.begin(), state_changing_.end(), name) != state_changing_.end();
  }

  std::vector<std::string> state_changing_;
};

}  // namespace

SqlEffect sql_effect(std::string_view text, const std::vector<std::string>& state_changing_functions) {
  std::vector<sql::Statement> statements;
  try {
    statements = sql::parse_statements(text);
  } catch (const sql::ParseError&) {
    return SqlEffect::NotSql;
  }
  if (statements.empty()) return SqlEffect::NotSql;
  const TreeReader reader(state_changing_functions);
  for (const sql::Statement& statement : statements) {
    if (!reader.statement_reads_only(statement.tree)) return SqlEffect::Mutating;
  }
  return SqlEffect::ReadOnly;
}

}  // namespace pmc::audit
