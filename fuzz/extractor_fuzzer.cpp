// libFuzzer target: the resolution's object extractor (pmc::resolution::extract_effects) on
// arbitrary migration scripts, SQL and the PL/pgSQL of DO blocks, and normalized_default on the
// same text. It must read the script or throw ParseError; every effect and finding it reports must
// point at a statement of the script and a line inside it, and describe itself.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pmc/resolution/effects.hpp"
#include "pmc/resolution/extract.hpp"
#include "pmc/sql/parser.hpp"

namespace {

void check_place(std::size_t statement, int line, std::size_t statements, int lines) {
  if (statement >= statements || line < 1 || line > lines) std::abort();
}

void check_effects(std::string_view script) {
  const pmc::resolution::MigrationEffects extracted = pmc::resolution::extract_effects(script);
  // extract_effects parsed the script already, so this parse succeeds.
  const std::size_t statements = pmc::sql::parse_statements(script).size();
  const int lines = 1 + static_cast<int>(std::count(script.begin(), script.end(), '\n'));
  for (const pmc::resolution::Effect& effect : extracted.effects) {
    check_place(effect.statement, effect.line, statements, lines);
    if (pmc::resolution::describe(effect.object).empty()) std::abort();
    if (pmc::resolution::action_name(effect.action).empty()) std::abort();
    if (effect.previous && pmc::resolution::describe(*effect.previous).empty()) std::abort();
  }
  for (const pmc::resolution::Finding& finding : extracted.findings) {
    check_place(finding.statement, finding.line, statements, lines);
    if (finding.what.empty() || pmc::resolution::concern_name(finding.concern).empty()) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view script(reinterpret_cast<const char*>(data), size);
  try {
    check_effects(script);
  } catch (const pmc::sql::ParseError& error) {
    if (error.has_position() && error.byte_offset() > script.size()) std::abort();
  }
  // The check compares catalog defaults with this; it answers nullopt for what does not parse.
  (void)pmc::resolution::normalized_default(script.substr(0, 4096));
  return 0;
}
