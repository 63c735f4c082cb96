// The facts cache on disk: one JSON file per unit command, written atomically.
#include "cache/facts_cache.hpp"

#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/sha256.hpp"

namespace pmc::audit {

std::string ContentHashes::of(const std::string& path) {
  {
    std::lock_guard lock(mutex_);
    const auto found = hashes_.find(path);
    if (found != hashes_.end()) return found->second;
  }
  std::string hash = sha256_file_hex(path);
  std::lock_guard lock(mutex_);
  return hashes_.emplace(path, std::move(hash)).first->second;
}

FactsCache::FactsCache(std::filesystem::path directory, std::string identity)
    : directory_(std::move(directory)), identity_(std::move(identity)) {}

std::filesystem::path FactsCache::entry_path(const UnitCommand& unit) const {
  Sha256 key;
  key.add(identity_);
  for (const std::string* part : {&unit.file, &unit.directory}) {
    key.add(*part);
    key.add(std::string_view("\0", 1));
  }
  for (const std::string& argument : unit.arguments) {
    key.add(argument);
    key.add(std::string_view("\0", 1));
  }
  return directory_ / (key.hex() + ".json");
}

std::optional<CachedUnit> FactsCache::find(const UnitCommand& unit) {
  std::ifstream in(entry_path(unit), std::ios::binary);
  if (!in) return std::nullopt;
  try {
    const nlohmann::json entry = nlohmann::json::parse(in);
    CachedUnit cached;
    for (const nlohmann::json& input : entry.at("inputs")) {
      const std::string path = input.at(0).get<std::string>();
      if (hashes_.of(path) != input.at(1).get<std::string>()) return std::nullopt;
      cached.inputs.push_back(path);
    }
    entry.at("facts").get_to(cached.facts);
    return cached;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // a damaged entry is a miss; the unit is parsed again
  }
}

void FactsCache::store(const UnitCommand& unit, const UnitFacts& facts,
                       const std::vector<std::string>& inputs) {
  nlohmann::json recorded = nlohmann::json::array();
  for (const std::string& input : inputs) {
    const std::string hash = hashes_.of(input);
    if (hash.empty()) return;  // an input we cannot read again could never be checked
    recorded.push_back({input, hash});
  }
  std::error_code error;
  std::filesystem::create_directories(directory_, error);
  const std::filesystem::path path = entry_path(unit);
  std::filesystem::path temporary = path;
  temporary += ".tmp" + std::to_string(getpid()) + "." +
               std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return;  // no cache: slower next time, never wrong
    out << nlohmann::json{{"inputs", recorded}, {"facts", facts}}.dump();
    if (!out) return;
  }
  std::filesystem::rename(temporary, path, error);
}

std::string auditor_identity(const std::string& collector, const std::filesystem::path& module) {
  const std::string executable = sha256_file_hex("/proc/self/exe");
  return sha256_hex("pmc-audit facts v1\n" + executable + "\n" + sha256_file_hex(module.string()) + "\n" +
                    collector);
}

}  // namespace pmc::audit
