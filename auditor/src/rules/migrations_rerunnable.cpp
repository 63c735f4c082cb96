// migrations (warning): every statement of a migration.sql can run a second time without failing
// (IF NOT EXISTS / IF EXISTS / OR REPLACE, or inside a DO block that handles the error).
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>

#include "pmc/sql/parser.hpp"
#include "rules/rule.hpp"

namespace pmc::audit {
namespace {

bool flag(const nlohmann::json& body, const char* name) { return body.value(name, false); }

bool contains_key(const nlohmann::json& node, const std::string& key) {
  if (node.is_array()) {
    for (const auto& item : node) {
      if (contains_key(item, key)) return true;
    }
    return false;
  }
  if (!node.is_object()) return false;
  for (const auto& [name, value] : node.items()) {
    if (name == key || contains_key(value, key)) return true;
  }
  return false;
}

std::string object_words(const std::string& type) {
  std::string words = type.rfind("OBJECT_", 0) == 0 ? type.substr(7) : type;
  for (char& c : words) {
    if (c == '_') c = ' ';
  }
  return words;
}

// Why the statement fails when run again, or "" when it does not.
std::string rerun_problem(const nlohmann::json& statement, std::string_view text);

std::string alter_table_problem(const nlohmann::json& body) {
  if (!body.contains("cmds")) return {};
  for (const auto& item : body.at("cmds")) {
    if (!item.contains("AlterTableCmd")) continue;
    const nlohmann::json& command = item.at("AlterTableCmd");
    const std::string subtype = command.value("subtype", "");
    const bool missing_ok = flag(command, "missing_ok");
    if (subtype == "AT_AddColumn" && !missing_ok) return "ALTER TABLE ... ADD COLUMN without IF NOT EXISTS";
    if (subtype == "AT_DropColumn" && !missing_ok) return "ALTER TABLE ... DROP COLUMN without IF EXISTS";
    if (subtype == "AT_DropConstraint" && !missing_ok) return "ALTER TABLE ... DROP CONSTRAINT without IF EXISTS";
    if (subtype == "AT_AddConstraint") return "ALTER TABLE ... ADD CONSTRAINT (it has no IF NOT EXISTS)";
  }
  return {};
}

// A DO block re-runs when it handles errors (EXCEPTION) or tests before acting (IF); otherwise
// its static statements are judged one by one.
std::string do_problem(std::string_view text) {
  nlohmann::json body;
  try {
    body = sql::parse_plpgsql(text);
  } catch (const std::exception&) {
    return "DO block whose PL/pgSQL cannot be read";
  }
  if (contains_key(body, "exceptions") || contains_key(body, "PLpgSQL_stmt_if")) return {};
  std::vector<std::string> queries;
  std::function<void(const nlohmann::json&)> collect = [&](const nlohmann::json& node) {
    if (node.is_array()) {
      for (const auto& item : node) collect(item);
    } else if (node.is_object()) {
      for (const auto& [key, value] : node.items()) {
        if (key == "PLpgSQL_stmt_execsql" && value.contains("sqlstmt")) {
          queries.push_back(value.at("sqlstmt").at("PLpgSQL_expr").value("query", ""));
        }
        collect(value);
      }
    }
  };
  collect(body);
  for (const std::string& query : queries) {
    try {
      for (const sql::Statement& inner : sql::parse_statements(query)) {
        std::string problem = rerun_problem(inner.tree, inner.text(query));
        if (!problem.empty()) return problem + " inside a DO block without EXCEPTION or IF";
      }
    } catch (const sql::ParseError&) {
    }
  }
  return {};
}

std::string rerun_problem(const nlohmann::json& statement, std::string_view text) {
  if (!statement.is_object() || statement.empty()) return {};
  const std::string kind = statement.begin().key();
  const nlohmann::json& body = statement.begin().value();
  if (kind == "CreateStmt" && !flag(body, "if_not_exists")) return "CREATE TABLE without IF NOT EXISTS";
  if (kind == "IndexStmt" && !flag(body, "if_not_exists")) return "CREATE INDEX without IF NOT EXISTS";
  if (kind == "CreateSeqStmt" && !flag(body, "if_not_exists")) return "CREATE SEQUENCE without IF NOT EXISTS";
  if (kind == "CreateSchemaStmt" && !flag(body, "if_not_exists")) return "CREATE SCHEMA without IF NOT EXISTS";
  if (kind == "CreateExtensionStmt" && !flag(body, "if_not_exists")) return "CREATE EXTENSION without IF NOT EXISTS";
  if (kind == "CreateTableAsStmt" && !flag(body, "if_not_exists")) return "CREATE TABLE AS without IF NOT EXISTS";
  if (kind == "ViewStmt" && !flag(body, "replace")) return "CREATE VIEW without OR REPLACE";
  if (kind == "CreateFunctionStmt" && !flag(body, "replace")) return "CREATE FUNCTION without OR REPLACE";
  if (kind == "CreateTrigStmt" && !flag(body, "replace")) return "CREATE TRIGGER without OR REPLACE";
  if (kind == "CreateEnumStmt") return "CREATE TYPE ... AS ENUM (it has no IF NOT EXISTS)";
  if (kind == "CompositeTypeStmt") return "CREATE TYPE (it has no IF NOT EXISTS)";
  if (kind == "CreateDomainStmt") return "CREATE DOMAIN (it has no IF NOT EXISTS)";
  if (kind == "AlterEnumStmt" && body.contains("newVal") && !flag(body, "skipIfNewValExists")) {
    return "ALTER TYPE ... ADD VALUE without IF NOT EXISTS";
  }
  if (kind == "DropStmt" && !flag(body, "missing_ok")) {
    return "DROP " + object_words(body.value("removeType", "OBJECT_TABLE")) + " without IF EXISTS";
  }
  if (kind == "RenameStmt") return "a rename (the old name is gone on the second run)";
  if (kind == "AlterTableStmt") return alter_table_problem(body);
  if (kind == "DoStmt") return do_problem(text);
  return {};
}

class MigrationsRule : public Rule {
 public:
  std::string_view id() const override { return "migrations"; }
  std::string_view summary() const override { return "migration statements can run a second time"; }
  std::string_view explanation() const override {
    return "Each migration.sql under the contract's migrations folder is parsed with "
           "libpg_query. A statement that fails when run again is a warning: CREATE TABLE / INDEX "
           "/ SEQUENCE / SCHEMA / EXTENSION without IF NOT EXISTS, CREATE VIEW / FUNCTION / "
           "TRIGGER without OR REPLACE, CREATE TYPE and CREATE DOMAIN (no IF NOT EXISTS exists), "
           "ALTER TABLE ADD COLUMN without IF NOT EXISTS, ADD CONSTRAINT, DROP without IF EXISTS, "
           "ALTER TYPE ADD VALUE without IF NOT EXISTS, renames. A DO block re-runs when it has "
           "an EXCEPTION handler or an IF (it tests first); otherwise its static statements are "
           "judged. Data changes are not judged here (they re-run without failing). A file that "
           "does not parse is a warning at the parser's position. A re-runnable migration is what "
           "lets pmc-resolve-applied-migrations settle a half-applied one. Warnings exit 0 unless "
           "--warnings-as-errors. Reported at the statement.";
  }
  Severity severity() const override { return Severity::Warning; }
  bool reads_code() const override { return false; }

  void check(const AuditContext& context, Findings& findings) const override {
    const std::string folder = context.contract.migrations_dir + "/";
    for (const std::string& file : context.repository.files()) {
      if (file.rfind(folder, 0) != 0) continue;
      if (file.size() < 14 || file.compare(file.size() - 14, 14, "/migration.sql") != 0) continue;
      const std::string absolute = context.repository.absolute(file);
      std::ifstream in(absolute, std::ios::binary);
      std::ostringstream buffer;
      buffer << in.rdbuf();
      const std::string text = buffer.str();
      std::vector<sql::Statement> statements;
      try {
        statements = sql::parse_statements(text);
      } catch (const sql::ParseError& error) {
        const unsigned line = error.has_position() ? static_cast<unsigned>(error.position().line) : 1;
        findings.add({std::string(id()), severity(), {absolute, line, 1},
                      "the migration does not parse, so nothing in it can be shown to re-run: " + error.parser_message(),
                      {}});
        continue;
      }
      for (const sql::Statement& statement : statements) {
        const std::string problem = rerun_problem(statement.tree, statement.text(text));
        if (problem.empty()) continue;
        const sql::SourcePosition where = sql::position_of_byte(text, statement.begin);
        findings.add({std::string(id()), severity(),
                      {absolute, static_cast<unsigned>(where.line), static_cast<unsigned>(where.column)},
                      problem + ": the statement fails when the migration runs again", {}});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_migrations_rule() { return std::make_unique<MigrationsRule>(); }

}  // namespace pmc::audit
