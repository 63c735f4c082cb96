// Per-unit facts kept between runs, keyed on the unit's inputs: the command line, the contents of
// the unit's file and of every file it included, the contract and the auditor itself. An entry is
// used only when every recorded input still hashes the same (SHA-256, OpenSSL).
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "facts/facts.hpp"
#include "tooling/unit.hpp"

namespace pmc::audit {

// SHA-256 of files, each read once per run; thread-safe. An unreadable file hashes to "".
class ContentHashes {
 public:
  std::string of(const std::string& path);

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::string> hashes_;
};

struct CachedUnit {
  UnitFacts facts;
  std::vector<std::string> inputs;
};

class FactsCache {
 public:
  // `identity` names everything besides the unit that shapes its facts (auditor, contract).
  FactsCache(std::filesystem::path directory, std::string identity);

  std::optional<CachedUnit> find(const UnitCommand& unit);
  void store(const UnitCommand& unit, const UnitFacts& facts,
             const std::vector<std::string>& inputs);

 private:
  std::filesystem::path entry_path(const UnitCommand& unit) const;

  std::filesystem::path directory_;
  std::string identity_;
  ContentHashes hashes_;
};

// The auditor's own identity for cache keys: a hash of this executable, of the Clang module and
// of the collector's compiler version.
std::string auditor_identity(const std::string& collector, const std::filesystem::path& module);

}  // namespace pmc::audit
