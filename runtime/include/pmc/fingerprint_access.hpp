// The database layer's entries for fingerprints themselves: inspecting a database's fingerprint
// without trusting it (dry runs, pmc-verify-fingerprints), and the one writing connection that
// may work on a database that has no valid fingerprint yet, for pmc-init-fingerprint. Like every
// writing handle it needs the CI guard's pass.
#pragma once

#include <memory>
#include <string_view>

#include "pmc/db.hpp"
#include "pmc/fingerprint.hpp"
#include "pmc/guard.hpp"
#include "pmc/mutation.hpp"

namespace pmc::db {

// Opens a read-only session, reads the database's identity and its database_metadata rows, and
// closes it. Validates nothing (fingerprint::evaluate() does): ConnectOptions::expected_environment
// is not needed here.
fingerprint::Observation inspect_fingerprint(const ConnectOptions& options);

struct FingerprintChange {
  enum class Outcome { Written, AlreadyPresent, Rebound, AlreadyBound };
  Outcome outcome = Outcome::Written;
  std::optional<fingerprint::Fingerprint> before;  // what was stored, if anything
  fingerprint::Fingerprint after;                   // what is stored now
};

class FingerprintInitConnection {
 public:
  FingerprintInitConnection(FingerprintInitConnection&&) noexcept;
  ~FingerprintInitConnection();

  // Creates public.database_metadata if needed and writes the first fingerprint, bound to this
  // database, in one transaction holding the table's lock. Never changes an existing row: an
  // intact row of the same environment bound here is AlreadyPresent; anything else throws
  // PMC-F007 (the rules: fingerprint::decide_first_write in pmc/fingerprint/init_rules.hpp).
  PMC_MUTATION("fingerprint-init")
  FingerprintChange write_first(std::string_view environment);

  // Re-binds an intact fingerprint that states `expected_environment` to this database (after a
  // move to another database or cluster). Keeps the environment; refuses a corrupted or missing
  // row or another environment (PMC-F009). AlreadyBound when there is nothing to change
  // (fingerprint::decide_rebind).
  PMC_MUTATION("fingerprint-init")
  FingerprintChange rebind(std::string_view expected_environment);

 private:
  friend FingerprintInitConnection connect_for_fingerprint_init(const ConnectOptions&,
                                                                const guard::CiPass&);
  explicit FingerprintInitConnection(std::unique_ptr<Session> session);
  std::unique_ptr<Session> session_;
};

// A writing connection that skips fingerprint validation: only for pmc-init-fingerprint, and
// only with the CI guard's pass.
FingerprintInitConnection connect_for_fingerprint_init(const ConnectOptions& options,
                                                       const guard::CiPass& pass);

}  // namespace pmc::db
