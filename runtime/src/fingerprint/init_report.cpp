// pmc-init-fingerprint's previews and outcomes in words and in JSON.
#include "pmc/fingerprint/init_report.hpp"

namespace pmc::fingerprint {
namespace {

std::string stated(const Fingerprint& fingerprint) {
  return "environment \"" + fingerprint.environment + "\", " + describe(fingerprint.binding);
}

nlohmann::json fingerprint_json(const Fingerprint& fingerprint) {
  const Binding& binding = fingerprint.binding;
  return {
      {"environment", fingerprint.environment},
      {"database_oid", binding.database_oid},
      {"database_name", binding.database_name},
      {"system_identifier", binding.system_identifier ? nlohmann::json(*binding.system_identifier)
                                                      : nlohmann::json(nullptr)}};
}

}  // namespace

InitReport preview_report(const InitDecision& decision, InitMode mode, std::string where) {
  InitReport report;
  report.where = std::move(where);
  report.mode = mode;
  report.before = decision.stored;
  report.after = decision.result;
  const bool first_write = mode == InitMode::FirstWrite;
  if (decision.step == InitStep::Write) {
    report.outcome = first_write ? "would-write" : "would-rebind";
  } else {
    report.outcome = first_write ? "already-present" : "already-bound";
  }
  return report;
}

InitReport change_report(const db::FingerprintChange& change, std::string where) {
  using Outcome = db::FingerprintChange::Outcome;
  InitReport report;
  report.where = std::move(where);
  report.before = change.before;
  report.after = change.after;
  report.mode = change.outcome == Outcome::Rebound || change.outcome == Outcome::AlreadyBound
                    ? InitMode::Rebind
                    : InitMode::FirstWrite;
  switch (change.outcome) {
    case Outcome::Written:
      report.outcome = "written";
      report.applied = true;
      break;
    case Outcome::AlreadyPresent:
      report.outcome = "already-present";
      break;
    case Outcome::Rebound:
      report.outcome = "rebound";
      report.applied = true;
      break;
    case Outcome::AlreadyBound:
      report.outcome = "already-bound";
      break;
  }
  return report;
}

std::string init_report_text(const InitReport& report) {
  const std::string& outcome = report.outcome;
  std::string text = report.where + ": ";
  if (outcome == "would-write") {
    text += "no fingerprint yet; would write " + stated(report.after);
  } else if (outcome == "written") {
    text += "wrote the fingerprint: " + stated(report.after);
  } else if (outcome == "already-present") {
    text += "already fingerprinted: " + stated(report.after) + "; nothing to do";
  } else if (outcome == "would-rebind" || outcome == "rebound") {
    text += std::string(outcome == "rebound" ? "re-bound" : "would re-bind") +
            " the fingerprint \"" + report.after.environment + "\" from " +
            (report.before ? describe(report.before->binding) : std::string("(nothing)")) + " to " +
            describe(report.after.binding);
  } else {
    text += "the fingerprint is bound to this database already: " + stated(report.after) +
            "; nothing to do";
  }
  return text + "\n";
}

nlohmann::json init_report_json(const InitReport& report) {
  return {{"url", report.where},
          {"mode", report.mode == InitMode::FirstWrite ? "first-write" : "rebind"},
          {"applied", report.applied},
          {"outcome", report.outcome},
          {"before", report.before ? fingerprint_json(*report.before) : nlohmann::json(nullptr)},
          {"after", fingerprint_json(report.after)}};
}

}  // namespace pmc::fingerprint
