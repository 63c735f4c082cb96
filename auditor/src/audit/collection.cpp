// Units to facts: cache look-ups first (cheap, in order), then the rest on `jobs` threads.
#include "audit/collection.hpp"

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "pmc/error.hpp"

namespace pmc::audit {
namespace {

struct FailedUnit {
  std::string file;
  std::string diagnostics;
};

std::string first_lines(const std::string& text, std::size_t count) {
  std::size_t end = 0;
  for (std::size_t i = 0; i < count && end != std::string::npos; ++i) {
    end = text.find('\n', end == 0 ? 0 : end + 1);
  }
  std::string head = end == std::string::npos ? text : text.substr(0, end);
  while (!head.empty() && head.back() == '\n') head.pop_back();
  return head;
}

[[noreturn]] void fail_on(const Repository& repository, const std::vector<FailedUnit>& failed) {
  const std::string relative = repository.relative(failed.front().file);
  const std::string name = relative.empty() ? failed.front().file : relative;
  std::string message = name + " does not compile";
  if (failed.size() > 1) message += " (and " + std::to_string(failed.size() - 1) + " more units)";
  throw Failure("PMC-A006", message, first_lines(failed.front().diagnostics, 8),
                "pmc-audit judges only code that compiles: fix the errors or the compile "
                "command, then run it again.",
                ExitCode::UsageOrInput);
}

}  // namespace

std::vector<UnitCommand> source_units(const CollectionPlan& plan) {
  std::vector<UnitCommand> units;
  for (const std::string& file : plan.files) {
    if (source_kind(file) != SourceKind::Source) continue;
    const std::string absolute = plan.repository.absolute(file);
    require_readable(absolute);
    std::vector<UnitCommand> commands = plan.database.commands_for(absolute);
    if (commands.empty()) {
      throw Failure("PMC-A005", "no compile command for " + file,
                    plan.database.path().string() + " lists it not, and no file to take flags from",
                    "Build with the file in a target, or regenerate compile_commands.json.",
                    ExitCode::UsageOrInput);
    }
    for (UnitCommand& command : commands) units.push_back(std::move(command));
  }
  return units;
}

std::vector<UnitCommand> shard_of(const std::vector<UnitCommand>& units, Shard shard) {
  std::vector<UnitCommand> slice;
  for (std::size_t i = shard.index - 1; i < units.size(); i += shard.count) slice.push_back(units[i]);
  return slice;
}

std::vector<CollectedUnit> collect_units(const CollectionPlan& plan,
                                         const std::vector<UnitCommand>& units) {
  std::vector<CollectedUnit> collected(units.size());
  std::vector<std::size_t> pending;
  for (std::size_t i = 0; i < units.size(); ++i) {
    collected[i].command = units[i];
    if (plan.cache != nullptr) {
      if (std::optional<CachedUnit> hit = plan.cache->find(units[i])) {
        collected[i].facts = std::move(hit->facts);
        collected[i].inputs = std::move(hit->inputs);
        collected[i].cached = true;
        continue;
      }
    }
    pending.push_back(i);
  }

  std::vector<std::string> diagnostics(units.size());
  std::vector<char> failed(units.size(), 0);  // char: each thread writes its own element
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t k = next++; k < pending.size(); k = next++) {
      const std::size_t i = pending[k];
      UnitOutcome outcome = plan.frontend.run_unit(units[i], plan.options);
      if (!outcome.compiled) {
        failed[i] = 1;
        diagnostics[i] = std::move(outcome.diagnostics);
        continue;
      }
      if (plan.cache != nullptr) plan.cache->store(units[i], outcome.facts, outcome.inputs);
      collected[i].facts = std::move(outcome.facts);
      collected[i].inputs = std::move(outcome.inputs);
    }
  };
  const std::size_t threads = std::min<std::size_t>(std::max(1u, plan.jobs), std::max<std::size_t>(1, pending.size()));
  std::vector<std::thread> workers;
  for (std::size_t t = 1; t < threads; ++t) workers.emplace_back(work);
  work();
  for (std::thread& worker : workers) worker.join();

  std::vector<FailedUnit> failures;
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (failed[i] != 0) failures.push_back({units[i].file, diagnostics[i]});
  }
  if (!failures.empty()) fail_on(plan.repository, failures);
  return collected;
}

std::vector<CollectedUnit> collect_orphan_headers(const CollectionPlan& plan,
                                                  const std::vector<CollectedUnit>& collected) {
  std::set<std::string> read;
  for (const CollectedUnit& unit : collected) read.insert(unit.inputs.begin(), unit.inputs.end());
  std::vector<UnitCommand> units;
  for (const std::string& file : plan.files) {
    if (source_kind(file) != SourceKind::Header) continue;
    const std::string absolute = plan.repository.absolute(file);
    if (read.count(absolute) != 0) continue;
    require_readable(absolute);
    std::vector<UnitCommand> commands = plan.database.commands_for(absolute);
    if (commands.empty()) {
      throw Failure("PMC-A005", "no compile command for the header " + file, {},
                    "Include it from a source file of the build, or regenerate compile_commands.json.",
                    ExitCode::UsageOrInput);
    }
    units.push_back(std::move(commands.front()));
  }
  return collect_units(plan, units);
}

}  // namespace pmc::audit
