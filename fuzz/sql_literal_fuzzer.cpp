// libFuzzer target: pmc-audit's SQL-literal classifier (classify/sql_effect, and the SinkJudge that
// applies it to a sink's literal arguments under the embedded contract) on arbitrary literals. It
// must answer for every text; the judge must agree with the classifier, and fewer state-changing
// functions may never turn read-only SQL into a write.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "classify/sink_judge.hpp"
#include "classify/sql_effect.hpp"
#include "facts/facts.hpp"
#include "pmc/contract.hpp"

namespace {

using pmc::audit::SinkArgument;
using pmc::audit::SinkFact;
using pmc::audit::SinkKind;
using pmc::audit::SqlEffect;

SinkFact sink(SinkKind kind, std::string function, std::vector<SinkArgument> arguments,
              int command_argument = -1) {
  SinkFact fact;
  fact.kind = kind;
  fact.function = std::move(function);
  fact.arguments = std::move(arguments);
  fact.command_argument = command_argument;
  return fact;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const pmc::contract::Contract& contract = pmc::contract::embedded();
  const std::vector<std::string>& state_changing = contract.sinks.state_changing_sql_functions;

  const SqlEffect effect = pmc::audit::sql_effect(text, state_changing);
  const SqlEffect without_functions = pmc::audit::sql_effect(text, {});
  if ((effect == SqlEffect::NotSql) != (without_functions == SqlEffect::NotSql)) std::abort();
  if (effect == SqlEffect::ReadOnly && without_functions != SqlEffect::ReadOnly) std::abort();

  // PQexec(connection, <literal>): mutating unless the literal is read-only SQL; asked twice, the
  // second answer comes from the judge's cache and must be the same.
  const pmc::audit::SinkJudge judge(contract);
  const SinkFact query = sink(SinkKind::Sql, "PQexec", {{false, ""}, {true, text}});
  const bool mutates = judge.mutates(query);
  if (mutates != (effect != SqlEffect::ReadOnly) || judge.mutates(query) != mutates) std::abort();
  if (judge.describe(query).empty()) std::abort();

  // The same text as a spawned command and as a looked-up name: an answer, never a crash.
  const SinkFact spawn = sink(SinkKind::Spawn, "system", {{true, text}}, 0);
  (void)judge.mutates(spawn);
  const SinkFact shell = sink(SinkKind::Spawn, "execl", {{true, text}, {true, "sh"}, {false, ""}}, 0);
  (void)judge.mutates(shell);
  const SinkFact lookup = sink(SinkKind::DynamicLookup, "dlsym", {{false, ""}, {true, text}});
  (void)judge.mutates(lookup);
  if (judge.describe(spawn).empty() || judge.describe(lookup).empty()) std::abort();
  if (judge.may_find_connection(lookup) && !judge.mutates(lookup)) std::abort();
  return 0;
}
