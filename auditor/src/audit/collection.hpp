// Collecting the facts of a repository's units: compile commands for each audited file, the
// cache, worker threads, and the headers no unit includes. A unit that does not compile stops
// the audit (pmc::Failure, exit 2): the gate fails closed. Plain C++ over the tooling interface.
#pragma once

#include <string>
#include <vector>

#include "cache/facts_cache.hpp"
#include "collect/collect_options.hpp"
#include "facts/facts.hpp"
#include "repository/repository.hpp"
#include "tooling/clang_frontend.hpp"
#include "tooling/unit.hpp"

namespace pmc::audit {

struct CollectedUnit {
  UnitCommand command;
  UnitFacts facts;
  std::vector<std::string> inputs;
  bool cached = false;
};

struct Shard {
  unsigned index = 1;  // 1-based
  unsigned count = 1;
};

struct CollectionPlan {
  const Repository& repository;
  std::vector<std::string> files;  // repository-relative C/C++ files to audit
  const ClangFrontend& frontend;
  const CompileCommands& database;
  CollectOptions options;
  unsigned jobs = 1;
  FactsCache* cache = nullptr;
};

// The source files' units, in a stable order (throws pmc::Failure for a file with no command).
std::vector<UnitCommand> source_units(const CollectionPlan& plan);

// One slice of them: every count-th unit starting at index-1.
std::vector<UnitCommand> shard_of(const std::vector<UnitCommand>& units, Shard shard);

// Runs (or reuses from the cache) the given units.
std::vector<CollectedUnit> collect_units(const CollectionPlan& plan,
                                         const std::vector<UnitCommand>& units);

// The audited headers that no collected unit read, parsed on their own.
std::vector<CollectedUnit> collect_orphan_headers(const CollectionPlan& plan,
                                                  const std::vector<CollectedUnit>& collected);

}  // namespace pmc::audit
