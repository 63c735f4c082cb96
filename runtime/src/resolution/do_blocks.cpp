// DO $$ … $$ blocks through the PL/pgSQL parser: each SQL statement inside is read like a top-level
// one; statements under IF, CASE, a loop or an EXCEPTION handler are conditional (they may not
// have run); EXECUTE of a literal string is read as SQL, EXECUTE of a built string is flagged.
#include <cctype>

#include "extraction.hpp"
#include "pmc/sql/parser.hpp"

namespace pmc::resolution::detail {
namespace {

bool starts_with_word(std::string_view text, std::string_view word) {
  std::size_t at = 0;
  while (at < text.size() &&
         (std::isspace(static_cast<unsigned char>(text[at])) != 0 || text[at] == '(')) {
    ++at;
  }
  if (text.size() - at < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != word[i]) return false;
  }
  return text.size() == at + word.size() ||
         (std::isalnum(static_cast<unsigned char>(text[at + word.size()])) == 0 &&
          text[at + word.size()] != '_');
}

std::string expression_query(const json& expression) {
  if (expression.contains("PLpgSQL_expr")) return expression["PLpgSQL_expr"].value("query", "");
  return {};
}

class PlpgsqlReader {
 public:
  PlpgsqlReader(const Place& block, EffectCollector& out) : block_(block), out_(out) {}

  void statements(const json& list, bool conditional) {
    for (const json& statement : list) this->statement(statement, conditional);
  }

 private:
  Place place_at(const json& body, bool conditional) const {
    Place place = block_;
    place.line = block_.line + std::max(0, body.value("lineno", 1) - 1);
    place.conditional = block_.conditional || conditional;
    place.default_schema.clear();  // read_statement takes the current search_path schema
    return place;
  }

  // SQL text PL/pgSQL runs as statements (execsql, a literal EXECUTE).
  void sql(const std::string& query, const Place& place) {
    std::vector<sql::Statement> parsed;
    try {
      parsed = sql::parse_statements(query);
    } catch (const sql::ParseError& error) {
      out_.note(Concern::Unsupported,
                "SQL in a DO block that pmc cannot parse (" + std::string(error.what()) + ")",
                place);
      return;
    }
    for (const sql::Statement& statement : parsed) {
      Place inner = place;
      inner.text = query;
      inner.statement_text = statement.text(query);
      read_statement(statement.tree, inner, out_);
    }
  }

  // An expression PL/pgSQL evaluates (a condition, an assignment, PERFORM, a loop's query).
  void expression(const json& node, const Place& place) {
    std::string query = expression_query(node);
    if (query.empty()) return;
    if (const auto assign = query.find(":=");
        assign != std::string::npos && !starts_with_word(query, "select")) {
      query = query.substr(assign + 2);
    }
    const bool is_query = starts_with_word(query, "select") || starts_with_word(query, "with") ||
                          starts_with_word(query, "values") || starts_with_word(query, "table");
    const std::string text = is_query ? query : "SELECT " + query;
    try {
      for (const sql::Statement& statement : sql::parse_statements(text)) {
        Place inner = place;
        inner.text = text;
        inner.statement_text = statement.text(text);
        report_data_changes(statement.tree, inner, out_);
      }
    } catch (const sql::ParseError& error) {
      out_.note(Concern::Unsupported,
                "a PL/pgSQL expression pmc cannot parse (" + std::string(error.what()) + ")",
                place);
    }
  }

  // EXECUTE: a string literal is SQL pmc can read; anything built at run time is not.
  void dynamic(const json& node, const Place& place) {
    const std::string query = expression_query(node);
    try {
      const std::string text = "SELECT " + query;
      const std::vector<sql::Statement> parsed = sql::parse_statements(text);
      if (parsed.size() == 1) {
        const json& select = member(parsed.front().tree, "SelectStmt");
        const json& targets = member(select, "targetList");
        if (targets.size() == 1 && !select.contains("fromClause") &&
            !select.contains("whereClause")) {
          const json& value = member(targets[0].at("ResTarget"), "val");
          if (const auto literal = string_constant(value)) {
            sql(*literal, place);
            return;
          }
        }
      }
    } catch (const sql::ParseError&) {
      // Falls through: what pmc cannot read is dynamic SQL to it.
    }
    out_.note(Concern::DynamicSql, "EXECUTE of a string built at run time (" + query + ")", place);
  }

  void statement(const json& node, bool conditional) {
    if (!node.is_object() || node.empty()) return;
    const std::string& type = node.begin().key();
    const json& body = node.begin().value();
    const Place place = place_at(body, conditional);
    if (type == "PLpgSQL_stmt_block") {
      const bool guarded = body.contains("exceptions");
      statements(member(body, "body"), conditional || guarded);
      if (guarded) {
        const json& handlers = member(body["exceptions"], "PLpgSQL_exception_block");
        for (const json& handler : member(handlers, "exc_list")) {
          statements(member(member(handler, "PLpgSQL_exception"), "action"), true);
        }
      }
    } else if (type == "PLpgSQL_stmt_execsql") {
      sql(expression_query(member(body, "sqlstmt")), place);
    } else if (type == "PLpgSQL_stmt_dynexecute") {
      dynamic(member(body, "query"), place);
    } else if (type == "PLpgSQL_stmt_dynfors") {
      dynamic(member(body, "query"), place);
      statements(member(body, "body"), true);
    } else if (type == "PLpgSQL_stmt_open" && body.contains("dynquery")) {
      dynamic(body["dynquery"], place);
    } else if (type == "PLpgSQL_stmt_return_query" && body.contains("dynquery")) {
      dynamic(body["dynquery"], place);
    } else if (type == "PLpgSQL_stmt_call") {
      out_.note(Concern::DataChange, "CALL of a procedure, which may change data", place);
    } else if (type == "PLpgSQL_stmt_commit" || type == "PLpgSQL_stmt_rollback") {
      out_.note(Concern::Unsupported, "COMMIT or ROLLBACK inside a DO block", place);
    } else {
      // IF, CASE, loops, PERFORM, assignments, RAISE, RETURN …: every expression is evaluated,
      // every nested statement list is conditional.
      for (const auto& [key, value] : body.items()) {
        if (value.is_object() && value.contains("PLpgSQL_expr")) {
          expression(value, place);
        } else if (value.is_array()) {
          for (const json& item : value) {
            if (item.is_object() && item.contains("PLpgSQL_expr")) {
              expression(item, place);
            } else if (item.is_object() && !item.empty() &&
                       item.begin().key().starts_with("PLpgSQL_stmt")) {
              statement(item, true);
            } else if (item.is_object() && !item.empty()) {
              // elsif / case-when arms: a condition and a statement list.
              const json& arm = item.begin().value();
              for (const auto& [arm_key, arm_value] : arm.items()) {
                if (arm_value.is_object() && arm_value.contains("PLpgSQL_expr")) {
                  expression(arm_value, place);
                } else if (arm_value.is_array()) {
                  statements(arm_value, true);
                }
              }
            }
          }
        }
      }
    }
  }

  const Place& block_;
  EffectCollector& out_;
};

std::string language_of(const json& do_statement) {
  for (const json& argument : member(do_statement, "args")) {
    const json& element = member(argument, "DefElem");
    if (element.value("defname", "") == "language") return string_value(element.at("arg"));
  }
  return "plpgsql";
}

}  // namespace

void read_do_block(const json& do_statement, const Place& place, EffectCollector& out) {
  const std::string language = language_of(do_statement);
  if (language != "plpgsql") {
    out.note(Concern::Unsupported, "a DO block in language " + language, place);
    return;
  }
  json functions;
  try {
    functions = sql::parse_plpgsql(place.statement_text);
  } catch (const sql::ParseError& error) {
    out.note(Concern::Unsupported,
             "a DO block pmc cannot parse (" + std::string(error.what()) + ")", place);
    return;
  }
  PlpgsqlReader reader(place, out);
  for (const json& function : functions) {
    const json& action = member(member(function, "PLpgSQL_function"), "action");
    reader.statements(json::array({action}), false);
  }
}

}  // namespace pmc::resolution::detail
