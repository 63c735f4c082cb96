// libFuzzer target: the contract loader (pmc::contract::parse) on arbitrary bytes. It must accept
// or refuse with a ContractError that says where and why; anything else (a crash, another
// exception, a sanitizer finding) is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pmc/contract.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const pmc::contract::Contract contract = pmc::contract::parse(text, "fuzz.json");
    // An accepted contract answers its lookups without failing.
    for (const pmc::contract::EntryPoint& entry : contract.entry_points) {
      if (contract.find_entry_point_by_binary(entry.binary) == nullptr) std::abort();
      if (contract.find_entry_point_by_source(entry.source) == nullptr) std::abort();
    }
    for (const pmc::contract::ReferenceTable& table : contract.reference_data) {
      if (contract.find_reference_table(table.table) == nullptr) std::abort();
    }
    (void)contract.is_excluded("fixtures/x.cpp");
    (void)contract.is_excluded("");
  } catch (const pmc::contract::ContractError& error) {
    if (error.problem().empty() || error.line() < 0 || error.origin() != "fuzz.json") std::abort();
  }
  return 0;
}
