// The facts of one shard (--shard K/N) as a file, and merging all N of them back. A merge fails
// closed unless every shard of the same plan, contract and auditor is there exactly once.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "audit/collection.hpp"

namespace pmc::audit {

// "K/N" with 1 <= K <= N; throws pmc::Failure (exit 2) otherwise.
Shard parse_shard(const std::string& text);

// `plan_key` names the full list of units the shards were cut from; `identity` the auditor and
// the contract.
void write_shard_file(const std::filesystem::path& path, Shard shard, const std::string& plan_key,
                      const std::string& identity, const std::vector<CollectedUnit>& units);

std::vector<CollectedUnit> merge_shard_files(const std::vector<std::filesystem::path>& paths,
                                             const std::string& identity);

// A key for a list of units: their files and command lines, in order.
std::string plan_key(const std::vector<UnitCommand>& units);

}  // namespace pmc::audit
