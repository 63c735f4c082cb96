// Reads libpg_query's parse trees for the sql rules: destructive operations anywhere in a
// statement (CTEs, subqueries, EXPLAIN ANALYZE, DO blocks), and the relations and columns named.
#include "classify/sql_reading.hpp"

#include <set>

#include "pmc/sql/parser.hpp"

namespace pmc::audit {
namespace {


std::optional<std::vector<sql::Statement>> try_parse(std::string_view text) {
  try {
    std::vector<sql::Statement> statements = sql::parse_statements(text);
    if (statements.empty()) return std::nullopt;
    return statements;
  } catch (const sql::ParseError&) {
    return std::nullopt;
  }
}

std::string object_words(const std::string& remove_type) {
  std::string words = remove_type.rfind("OBJECT_", 0) == 0 ? remove_type.substr(7) : remove_type;
  for (char& c : words) {
    if (c == '_') c = ' ';
  }
  return words;
}

void find_destructive(const nlohmann::json& node, std::vector<std::string>& found) {
  if (node.is_array()) {
    for (const auto& item : node) find_destructive(item, found);
    return;
  }
  if (!node.is_object()) return;
  for (const auto& [key, value] : node.items()) {
    if (key == "DeleteStmt") {
      found.push_back("DELETE");
    } else if (key == "TruncateStmt") {
      found.push_back("TRUNCATE");
    } else if (key == "DropStmt") {
      found.push_back("DROP " + object_words(value.value("removeType", "OBJECT_TABLE")));
    } else if (key.rfind("Drop", 0) == 0 && key.size() > 8 && key.compare(key.size() - 4, 4, "Stmt") == 0) {
      found.push_back("DROP (" + key + ")");  // DropdbStmt, DropRoleStmt, DropOwnedStmt …
    } else if (key == "AlterTableCmd") {
      const std::string subtype = value.value("subtype", "");
      if (subtype == "AT_DropColumn") found.push_back("ALTER TABLE ... DROP COLUMN");
      if (subtype == "AT_DropConstraint") found.push_back("ALTER TABLE ... DROP CONSTRAINT");
    }
    find_destructive(value, found);
  }
}

// The static SQL of a DO block: every PL/pgSQL expression's query that parses.
void find_in_plpgsql(const nlohmann::json& node, std::vector<std::string>& found) {
  if (node.is_array()) {
    for (const auto& item : node) find_in_plpgsql(item, found);
    return;
  }
  if (!node.is_object()) return;
  for (const auto& [key, value] : node.items()) {
    if (key == "PLpgSQL_expr" && value.contains("query") && value.at("query").is_string()) {
      if (auto statements = try_parse(value.at("query").get<std::string>())) {
        for (const sql::Statement& statement : *statements) find_destructive(statement.tree, found);
      }
    }
    find_in_plpgsql(value, found);
  }
}

class NameWalker {
 public:
  NamesUsed take() { return std::move(names_); }

  void walk(const nlohmann::json& node) {
    if (node.is_array()) {
      for (const auto& item : node) walk(item);
      return;
    }
    if (!node.is_object()) return;
    for (const auto& [key, value] : node.items()) {
      if (key == "CommonTableExpr") ctes_.insert(value.value("ctename", ""));
    }
    for (const auto& [key, value] : node.items()) {
      if (key == "RangeVar") {
        add_relation(value, false);
        continue;
      }
      if (key == "ColumnRef") {
        add_column(value);
        continue;
      }
      if (key == "InsertStmt" || key == "UpdateStmt" || key == "DeleteStmt" || key == "MergeStmt" ||
          key == "CopyStmt") {
        const bool writes = key != "CopyStmt" || value.value("is_from", false);
        if (value.contains("relation")) add_relation(value.at("relation"), writes);
        const char* assigned = key == "InsertStmt" ? "cols" : key == "UpdateStmt" ? "targetList" : nullptr;
        if (assigned != nullptr && value.contains(assigned)) {
          for (const auto& target : value.at(assigned)) {
            if (target.contains("ResTarget")) {
              names_.columns.push_back({"", target.at("ResTarget").value("name", ""), true});
            }
          }
        }
        for (const auto& [inner_key, inner] : value.items()) {
          if (inner_key != "relation") walk(inner);
        }
        continue;
      }
      if (key == "TruncateStmt" && value.contains("relations")) {
        for (const auto& relation : value.at("relations")) {
          if (relation.contains("RangeVar")) add_relation(relation.at("RangeVar"), true);
        }
        continue;
      }
      walk(value);
    }
  }

 private:
  void add_relation(const nlohmann::json& node, bool target) {
    const nlohmann::json& range = node.contains("RangeVar") ? node.at("RangeVar") : node;
    const std::string name = range.value("relname", "");
    const std::string schema = range.value("schemaname", "");
    if (name.empty() || (schema.empty() && ctes_.count(name) != 0)) return;
    std::string alias;
    if (range.contains("alias")) alias = range.at("alias").value("aliasname", "");
    names_.relations.push_back({schema, name, alias, target});
  }

  void add_column(const nlohmann::json& node) {
    if (!node.contains("fields")) return;
    const nlohmann::json& fields = node.at("fields");
    if (fields.empty() || !fields.back().contains("String")) return;  // t.* or *
    ColumnUse column;
    column.name = fields.back().at("String").value("sval", "");
    if (fields.size() >= 2 && fields[fields.size() - 2].contains("String")) {
      column.qualifier = fields[fields.size() - 2].at("String").value("sval", "");
    }
    names_.columns.push_back(std::move(column));
  }

  NamesUsed names_;
  std::set<std::string> ctes_;
};

}  // namespace

std::optional<ParsedSql> parse_sql_text(std::string_view text, bool at_sql_call) {
  // One word ("analyze", "commit") is SQL only when it is handed to a SQL-taking call: elsewhere
  // it is a name, an option or a message.
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  const std::size_t last = text.find_last_not_of(" \t\r\n;");
  const bool one_word = first == std::string_view::npos ||
                        text.substr(first, last - first + 1).find_first_of(" \t\r\n") == std::string_view::npos;
  if (one_word && !at_sql_call) return std::nullopt;
  const bool allow_fragment = at_sql_call;
  ParsedSql parsed;
  std::string completed;
  std::string_view script = text;
  auto statements = try_parse(text);
  if (!statements && allow_fragment) {
    completed = std::string(text) + " " + std::string(kFragmentCompletionName);
    script = completed;
    statements = try_parse(script);
    parsed.fragment = true;
  }
  if (!statements) return std::nullopt;
  for (const sql::Statement& statement : *statements) {
    parsed.statements.push_back(statement.tree);
    parsed.texts.emplace_back(statement.text(script));
  }
  return parsed;
}

std::vector<std::string> destructive_operations(const nlohmann::json& statement, std::string_view text) {
  std::vector<std::string> found;
  find_destructive(statement, found);
  if (statement.contains("DoStmt")) {
    try {
      find_in_plpgsql(sql::parse_plpgsql(text), found);
    } catch (const std::exception&) {
      // A body PL/pgSQL cannot read hides nothing we could show; the rest was judged.
    }
  }
  return found;
}

NamesUsed names_used(const nlohmann::json& statement) {
  NameWalker walker;
  walker.walk(statement);
  return walker.take();
}

}  // namespace pmc::audit
