// Shard files are JSON: {"pmc_audit_shard": 1, "shard": K, "of": N, "plan", "identity", "units"}.
#include "audit/shard_file.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "pmc/error.hpp"
#include "support/sha256.hpp"

namespace pmc::audit {
namespace {

constexpr int kFormat = 1;

[[noreturn]] void bad_file(const std::filesystem::path& path, const std::string& problem) {
  throw Failure("PMC-A008", "cannot merge " + path.string() + ": " + problem, {},
                "Give every shard file of one run (--shard K/N for K = 1..N) to --merge.",
                ExitCode::UsageOrInput);
}

}  // namespace

Shard parse_shard(const std::string& text) {
  const std::size_t slash = text.find('/');
  Shard shard;
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    std::size_t used = 0;
    const unsigned long index = std::stoul(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("index");
    const std::string rest = text.substr(slash + 1);
    const unsigned long count = std::stoul(rest, &used);
    if (used != rest.size()) throw std::invalid_argument("count");
    if (index < 1 || index > count || count > 100000) throw std::out_of_range("range");
    shard.index = static_cast<unsigned>(index);
    shard.count = static_cast<unsigned>(count);
  } catch (const std::logic_error&) {
    throw Failure("PMC-A009", "--shard must be K/N with 1 <= K <= N, found \"" + text + "\"", {},
                  {}, ExitCode::UsageOrInput);
  }
  return shard;
}

std::string plan_key(const std::vector<UnitCommand>& units) {
  Sha256 hash;
  for (const UnitCommand& unit : units) {
    hash.add(unit.file);
    hash.add(std::string_view("\0", 1));
    for (const std::string& argument : unit.arguments) {
      hash.add(argument);
      hash.add(std::string_view("\0", 1));
    }
    hash.add(std::string_view("\n", 1));
  }
  return hash.hex();
}

void write_shard_file(const std::filesystem::path& path, Shard shard, const std::string& plan,
                      const std::string& identity, const std::vector<CollectedUnit>& units) {
  nlohmann::json list = nlohmann::json::array();
  for (const CollectedUnit& unit : units) {
    list.push_back({{"file", unit.command.file},
                    {"directory", unit.command.directory},
                    {"arguments", unit.command.arguments},
                    {"interpolated", unit.command.interpolated},
                    {"inputs", unit.inputs},
                    {"facts", unit.facts}});
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << nlohmann::json{{"pmc_audit_shard", kFormat}, {"shard", shard.index}, {"of", shard.count},
                        {"plan", plan}, {"identity", identity}, {"units", list}}.dump();
  if (!out) {
    throw Failure("PMC-A008", "cannot write the shard file " + path.string(), {}, {},
                  ExitCode::UsageOrInput);
  }
}

std::vector<CollectedUnit> merge_shard_files(const std::vector<std::filesystem::path>& paths,
                                             const std::string& identity) {
  std::vector<CollectedUnit> units;
  std::set<unsigned> seen;
  unsigned count = 0;
  std::string plan;
  for (const std::filesystem::path& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) bad_file(path, "it cannot be read");
    nlohmann::json document;
    try {
      document = nlohmann::json::parse(in);
      if (document.at("pmc_audit_shard").get<int>() != kFormat) bad_file(path, "unknown format");
      if (document.at("identity").get<std::string>() != identity) {
        bad_file(path, "it was collected by another pmc-audit build or with another contract");
      }
      const unsigned index = document.at("shard").get<unsigned>();
      const unsigned of = document.at("of").get<unsigned>();
      if (count == 0) {
        count = of;
        plan = document.at("plan").get<std::string>();
      }
      if (of != count || document.at("plan").get<std::string>() != plan) {
        bad_file(path, "it belongs to another run (its shard count or unit list differs)");
      }
      if (index < 1 || index > of || !seen.insert(index).second) {
        bad_file(path, "shard " + std::to_string(index) + "/" + std::to_string(of) + " is given twice or is out of range");
      }
      for (const nlohmann::json& item : document.at("units")) {
        CollectedUnit unit;
        item.at("file").get_to(unit.command.file);
        item.at("directory").get_to(unit.command.directory);
        item.at("arguments").get_to(unit.command.arguments);
        item.at("interpolated").get_to(unit.command.interpolated);
        item.at("inputs").get_to(unit.inputs);
        item.at("facts").get_to(unit.facts);
        units.push_back(std::move(unit));
      }
    } catch (const nlohmann::json::exception& error) {
      bad_file(path, std::string("it is not a shard file (") + error.what() + ")");
    }
  }
  if (seen.size() != count) {
    std::string missing;
    for (unsigned k = 1; k <= count; ++k) {
      if (seen.count(k) == 0) missing += (missing.empty() ? "" : ", ") + std::to_string(k) + "/" + std::to_string(count);
    }
    throw Failure("PMC-A008", "cannot merge: shard " + missing + " is missing", {},
                  "Give every shard file of one run to --merge.", ExitCode::UsageOrInput);
  }
  return units;
}

}  // namespace pmc::audit
