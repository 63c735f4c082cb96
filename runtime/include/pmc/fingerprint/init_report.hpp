// What pmc-init-fingerprint tells its user: the preview of a dry run and the outcome of a write
// or a re-bind, as text for people and JSON for machines.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "pmc/fingerprint.hpp"
#include "pmc/fingerprint/init_rules.hpp"
#include "pmc/fingerprint_access.hpp"

namespace pmc::fingerprint {

enum class InitMode { FirstWrite, Rebind };

struct InitReport {
  std::string where;  // the URL, password masked
  InitMode mode = InitMode::FirstWrite;
  bool applied = false;  // false for a dry run or a preview before the confirmation
  std::string
      outcome;  // would-write, written, already-present, would-rebind, rebound, already-bound
  std::optional<Fingerprint> before;  // the intact fingerprint found, if any
  Fingerprint after;                  // what the row states afterwards
};

// A decision that is not a refusal, as a preview (nothing written yet).
InitReport preview_report(const InitDecision& decision, InitMode mode, std::string where);
// What a writing connection did.
InitReport change_report(const db::FingerprintChange& change, std::string where);

std::string init_report_text(const InitReport& report);  // ends with a newline
nlohmann::json init_report_json(const InitReport& report);

}  // namespace pmc::fingerprint
