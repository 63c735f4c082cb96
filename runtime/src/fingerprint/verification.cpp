// Checking fingerprints for pmc-verify-fingerprints: inspect, judge, report; never write.
#include "pmc/fingerprint/verification.hpp"

#include <algorithm>

#include "pmc/fingerprint_access.hpp"

namespace pmc::fingerprint {
namespace {

// Messages end up on one line each, whatever a server or libpq put into them.
std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  return text;
}

std::string state_of_failure(const Failure& failure) {
  if (failure.code() == kUnreadableCode) return std::string(state_name(State::Unreadable));
  if (failure.code() == kCorruptedCode) return std::string(state_name(State::Corrupted));
  if (failure.exit_code() == ExitCode::UsageOrInput) return "invalid-input";
  if (failure.code().rfind("PMC-C", 0) == 0) return "unreachable";
  return "error";
}

nlohmann::json binding_json(const Binding& binding) {
  return {
      {"database_oid", binding.database_oid},
      {"database_name", binding.database_name},
      {"system_identifier", binding.system_identifier ? nlohmann::json(*binding.system_identifier)
                                                      : nlohmann::json(nullptr)}};
}

nlohmann::json check_json(const DatabaseCheck& check) {
  nlohmann::json out = {{"url", check.where},
                        {"expected_environment", check.expected_environment},
                        {"state", check.state},
                        {"healthy", check.healthy()}};
  out["environment"] =
      check.fingerprint ? nlohmann::json(check.fingerprint->environment) : nlohmann::json(nullptr);
  out["database"] = check.current ? binding_json(*check.current) : nlohmann::json(nullptr);
  if (check.stored) {
    out["stored"] = {
        {"environment", check.stored->environment},
        {"format_version", check.stored->format_version},
        {"binding", binding_json({check.stored->database_oid, check.stored->database_name,
                                  check.stored->system_identifier})},
        {"checksum_holds", check.fingerprint.has_value()},
        {"written_at", check.stored->written_at},
        {"written_by", check.stored->written_by}};
  } else {
    out["stored"] = nullptr;
  }
  if (check.failure) {
    out["error"] = {{"code", check.failure->code()},
                    {"message", check.failure->message()},
                    {"detail", check.failure->detail()},
                    {"hint", check.failure->hint()}};
  } else {
    out["error"] = nullptr;
  }
  return out;
}

}  // namespace

DatabaseCheck check_database(const db::ConnectOptions& options, bool in_ci) {
  DatabaseCheck check;
  check.where = db::mask_password(options.url);
  check.expected_environment = options.expected_environment;
  if (!is_valid_environment_name(options.expected_environment)) {
    check.state = "invalid-input";
    check.failure = Failure(kInvalidEnvironmentCode,
                            "invalid expected environment \"" + options.expected_environment +
                                "\": use lower-case letters, digits, '-' and '_', starting with a "
                                "letter",
                            {}, {}, ExitCode::UsageOrInput);
    return check;
  }
  try {
    const Observation observation = db::inspect_fingerprint(options);
    check.current = observation.current;
    if (observation.rows.size() == 1) check.stored = observation.rows.front();
    const Verdict verdict = evaluate(observation, options.expected_environment, in_ci);
    check.state = std::string(state_name(verdict.state));
    check.fingerprint = verdict.fingerprint;
    check.failure = verdict.failure;
  } catch (const Failure& failure) {
    check.state = state_of_failure(failure);
    check.failure = failure;
  }
  return check;
}

std::string check_line(const DatabaseCheck& check) {
  std::string line = check.where + ": " + check.state;
  if (check.healthy()) {
    line += ": environment \"" + check.fingerprint->environment + "\", " +
            describe(check.fingerprint->binding);
    return one_line(line);
  }
  line += " [" + check.failure->code() + "]: " + check.failure->message();
  if (!check.failure->detail().empty()) line += ". " + check.failure->detail();
  return one_line(line);
}

nlohmann::json checks_as_json(const std::vector<DatabaseCheck>& checks) {
  nlohmann::json databases = nlohmann::json::array();
  for (const DatabaseCheck& check : checks) databases.push_back(check_json(check));
  return {{"healthy", verification_exit_status(checks) == 0}, {"databases", databases}};
}

int verification_exit_status(const std::vector<DatabaseCheck>& checks) {
  int status = static_cast<int>(ExitCode::Done);
  for (const DatabaseCheck& check : checks) {
    if (!check.failure) continue;
    if (check.failure->exit_code() == ExitCode::UsageOrInput) {
      return static_cast<int>(ExitCode::UsageOrInput);
    }
    status = static_cast<int>(ExitCode::Refused);
  }
  return status;
}

}  // namespace pmc::fingerprint
