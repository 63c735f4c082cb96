// The code that matters to the contract, where bypass-shaped macros and identifiers are findings:
// the files of the entry points and read-only helpers, the runtime folder (the top folder of the
// guard and validating-connect definitions), and every file defining a function that an entry
// point or helper can reach. Also: where a fact may be reported at all.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "rules/rule.hpp"

namespace pmc::audit {

class ContractCode {
 public:
  explicit ContractCode(const AuditContext& context);
  bool contains(const SourceLocation& where) const;

 private:
  std::set<std::string> files_;          // absolute
  std::vector<std::string> prefixes_;    // absolute folders, '/'-terminated
};

// A place inside the repository and outside the contract's excluded paths.
bool reportable(const AuditContext& context, const SourceLocation& where);

}  // namespace pmc::audit
