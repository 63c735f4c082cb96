// Look-ups on a loaded contract, file loading and the copy embedded at build time.
#include "pmc/contract.hpp"

#include <fstream>
#include <sstream>

namespace pmc::contract {

extern const char kEmbeddedContractText[];
extern const std::size_t kEmbeddedContractSize;

ContractError::ContractError(std::string origin, int line, std::string problem)
    : std::runtime_error(origin + (line > 0 ? ":" + std::to_string(line) : std::string()) +
                         ": " + problem),
      origin_(std::move(origin)),
      line_(line),
      problem_(std::move(problem)) {}

const EntryPoint* Contract::find_entry_point_by_source(std::string_view repo_path) const {
  for (const EntryPoint& entry : entry_points) {
    if (entry.source == repo_path) return &entry;
  }
  return nullptr;
}

const EntryPoint* Contract::find_entry_point_by_binary(std::string_view binary) const {
  for (const EntryPoint& entry : entry_points) {
    if (entry.binary == binary) return &entry;
  }
  return nullptr;
}

const Guard* Contract::find_guard(std::string_view id) const {
  for (const Guard& guard : guards) {
    if (guard.id == id) return &guard;
  }
  return nullptr;
}

const ReferenceTable* Contract::find_reference_table(std::string_view table) const {
  for (const ReferenceTable& candidate : reference_data) {
    if (candidate.table == table) return &candidate;
  }
  return nullptr;
}

bool Contract::is_excluded(std::string_view repo_path) const {
  for (const std::string& prefix : excluded_paths) {
    if (repo_path.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

Contract load_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ContractError(path.string(), 0, "cannot open the contract file for reading");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ContractError(path.string(), 0, "cannot read the contract file");
  return parse(text.str(), path.string());
}

std::string_view embedded_text() { return {kEmbeddedContractText, kEmbeddedContractSize}; }

const Contract& embedded() {
  static const Contract contract = parse(embedded_text(), "<embedded rules/contract.json>");
  return contract;
}

}  // namespace pmc::contract
