// The extractor's entry: each top-level statement, in order, into one EffectCollector.
#include "pmc/resolution/extract.hpp"

#include <algorithm>

#include "extraction.hpp"
#include "pmc/sql/parser.hpp"

namespace pmc::resolution {

MigrationEffects extract_effects(std::string_view script) {
  const std::vector<sql::Statement> statements = sql::parse_statements(script);
  detail::EffectCollector out;
  // Lines counted as the statements go by: once over the script, not once per statement.
  std::size_t counted_to = 0;
  int line = 1;
  for (std::size_t index = 0; index < statements.size(); ++index) {
    const sql::Statement& statement = statements[index];
    line += static_cast<int>(
        std::count(script.begin() + static_cast<std::ptrdiff_t>(counted_to),
                   script.begin() + static_cast<std::ptrdiff_t>(statement.begin), '\n'));
    counted_to = statement.begin;
    detail::Place place;
    place.statement = index;
    place.line = line;
    place.text = script;
    place.statement_text = statement.text(script);
    detail::read_statement(statement.tree, place, out);
  }
  return out.take();
}

std::optional<std::string> normalized_default(std::string_view expression) {
  const std::string text = "SELECT " + std::string(expression);
  try {
    const std::vector<sql::Statement> statements = sql::parse_statements(text);
    if (statements.size() != 1) return std::nullopt;
    const auto& targets =
        detail::member(detail::member(statements[0].tree, "SelectStmt"), "targetList");
    if (targets.size() != 1) return std::nullopt;
    return detail::normalized_expression(detail::member(targets[0].at("ResTarget"), "val"), text);
  } catch (const sql::ParseError&) {
    return std::nullopt;
  }
}

}  // namespace pmc::resolution
