// The rules a database's fingerprint must pass before any connection to it is handed out.
#include "pmc/fingerprint.hpp"

namespace pmc::fingerprint {
namespace {

Verdict refuse(State state, const char* code, std::string message, std::string detail,
               std::string hint, std::optional<Fingerprint> fingerprint = std::nullopt) {
  Verdict verdict;
  verdict.state = state;
  verdict.fingerprint = std::move(fingerprint);
  verdict.failure = Failure(code, std::move(message), std::move(detail), std::move(hint));
  return verdict;
}

std::string init_command(std::string_view environment) {
  return "pmc-init-fingerprint --database-url URL --env " + std::string(environment) +
         " --apply (in CI)";
}

// Why a stored binding is not this database, in words; empty when it is.
std::string binding_difference(const Binding& stored, const Binding& current) {
  if (stored.system_identifier != current.system_identifier) {
    if (!current.system_identifier) {
      return "the cluster's system identifier cannot be read by this role, so the binding to "
             "cluster " + stored.system_identifier.value_or("?") + " cannot be confirmed";
    }
    return "it was written in the cluster with system identifier " +
           stored.system_identifier.value_or("(none recorded)") + ", this is cluster " +
           *current.system_identifier;
  }
  if (stored.database_oid != current.database_oid ||
      stored.database_name != current.database_name) {
    return "it was written into database \"" + stored.database_name + "\" (OID " +
           stored.database_oid + "), this is database \"" + current.database_name + "\" (OID " +
           current.database_oid + ")";
  }
  return {};
}

}  // namespace

Verdict evaluate(const Observation& observation, std::string_view expected_environment,
                 bool in_ci) {
  const std::string& where = observation.where;
  if (!observation.table_exists || observation.rows.empty()) {
    return refuse(
        State::Missing, kMissingCode, "database has no environment fingerprint",
        std::string(observation.table_exists ? "Table public.database_metadata holds no row"
                                             : "Table public.database_metadata does not exist") +
            " in " + describe(observation.current) + " at " + where + "; expected environment \"" +
            std::string(expected_environment) + "\".",
        "If this database really is " + std::string(expected_environment) +
            ", write its fingerprint with " + init_command(expected_environment) + ".");
  }
  if (observation.rows.size() > 1) {
    return refuse(State::Corrupted, kCorruptedCode, "database's environment fingerprint is corrupted",
                  "Table public.database_metadata holds " +
                      std::to_string(observation.rows.size()) + " rows at " + where +
                      "; a fingerprint is exactly one row.",
                  "Someone changed the table by hand. Find out who and why, then restore the "
                  "database_metadata row from a backup of this same database.");
  }
  const StoredRow& row = observation.rows.front();
  const std::optional<Fingerprint> fingerprint = intact_fingerprint(row);
  if (!fingerprint) {
    return refuse(State::Corrupted, kCorruptedCode, "database's environment fingerprint is corrupted",
                  "The row at " + where + " (environment \"" + row.environment +
                      "\", format version " + row.format_version +
                      ") does not match its checksum " + row.checksum + ".",
                  "The row was edited by hand. Find out who and why, then restore the "
                  "database_metadata row from a backup of this same database.");
  }
  const std::string difference = binding_difference(fingerprint->binding, observation.current);
  if (!difference.empty()) {
    return refuse(State::BoundElsewhere, kBoundElsewhereCode,
                  "database's fingerprint belongs to another database: this is a copy or a clone",
                  "The fingerprint says \"" + fingerprint->environment + "\", but " + difference +
                      " (at " + where + ").",
                  "A restored dump or cloned cluster is not the database it was copied from. If "
                  "this database has really replaced the original, re-bind it in CI with "
                  "pmc-init-fingerprint --rebind --expect-env " + fingerprint->environment +
                      " --apply (it asks for YES).",
                  fingerprint);
  }
  if (fingerprint->environment == kProductionEnvironment && !in_ci) {
    return refuse(State::ProductionOutsideCi, kProductionOutsideCiCode,
                  "production database refused outside CI",
                  "The fingerprint of " + where + " says \"prod\" and CI is not \"true\" (expected "
                  "environment \"" + std::string(expected_environment) + "\").",
                  "Production is reached only from the CI pipeline. Work on a dev copy instead.",
                  fingerprint);
  }
  if (fingerprint->environment != expected_environment) {
    return refuse(State::EnvironmentMismatch, kEnvironmentMismatchCode,
                  "database is not the expected environment",
                  "Expected \"" + std::string(expected_environment) + "\", the fingerprint of " +
                      where + " says \"" + fingerprint->environment + "\".",
                  "Check --database-url / DATABASE_URL and --expect-env / PMC_EXPECTED_ENV: one "
                  "of them points at the wrong place.",
                  fingerprint);
  }
  Verdict healthy;
  healthy.fingerprint = fingerprint;
  return healthy;
}

std::string_view state_name(State state) {
  switch (state) {
    case State::Healthy: return "healthy";
    case State::Missing: return "missing";
    case State::Corrupted: return "corrupted";
    case State::EnvironmentMismatch: return "environment-mismatch";
    case State::BoundElsewhere: return "bound-elsewhere";
    case State::ProductionOutsideCi: return "prod-outside-ci";
    case State::Unreadable: return "unreadable";
  }
  return "unknown";
}

}  // namespace pmc::fingerprint
