// The CI guard: the first statement of every entry point's main(). CI must be exactly "true";
// anything else refuses with one line on stderr and exit status 1, before anything else happens.
#pragma once

#include <optional>

namespace pmc::guard {

// Proof that the CI guard ran and passed. Move-only, and only the guard functions can make one:
// opening a writable connection requires it, so code that skipped the guard does not compile.
// `final` and a user-provided move keep the other doors shut: no derived class can call the
// private constructor, and a type that is not trivially copyable cannot be std::bit_cast from
// bytes (tests/guard/compile holds each attempt).
class [[nodiscard]] CiPass final {
 public:
  CiPass(CiPass&&) noexcept {}
  CiPass& operator=(CiPass&&) noexcept = default;
  CiPass(const CiPass&) = delete;
  CiPass& operator=(const CiPass&) = delete;
  ~CiPass() = default;

 private:
  CiPass() = default;
  friend CiPass enforce_ci_only_execution();
  friend std::optional<CiPass> enforce_ci_only_when_applying(int argc, char** argv);
};

// Exits 1 unless the environment variable CI equals "true".
[[nodiscard]] CiPass enforce_ci_only_execution();

// For programs whose default mode is read-only: when argv holds --apply, exits 1 unless CI is
// "true" and returns the pass; otherwise returns nullopt. Give it main's own argc/argv.
[[nodiscard]] std::optional<CiPass> enforce_ci_only_when_applying(int argc, char** argv);

// Whether CI is exactly "true", decided exactly as the guards decide it. For policies that differ
// in CI (a `prod` fingerprint is refused outside CI); it grants nothing: writing needs a CiPass.
[[nodiscard]] bool runs_in_ci() noexcept;

}  // namespace pmc::guard
