// Reading and writing public.database_metadata: the only SQL that touches the fingerprint table.
#include "pmc/fingerprint_access.hpp"
#include "session.hpp"

namespace pmc::db {
namespace {

constexpr char kIdentitySql[] =
    "SELECT d.oid::text, d.datname::text,"
    " CASE WHEN pg_catalog.has_function_privilege('pg_catalog.pg_control_system()', 'EXECUTE')"
    " THEN (SELECT c.system_identifier::text FROM pg_catalog.pg_control_system() c) END,"
    " pg_catalog.to_regclass('public.database_metadata') IS NOT NULL"
    " FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()";

constexpr char kRowsSql[] =
    "SELECT format_version::text, environment, database_oid::text, database_name,"
    " system_identifier::text, checksum, written_at::text, written_by"
    " FROM public.database_metadata";

// One row per database (the primary key on a constant `true` column), no defaults that the
// checksum would not see.
constexpr char kCreateTableSql[] =
    "CREATE TABLE IF NOT EXISTS public.database_metadata ("
    " singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),"
    " format_version integer NOT NULL,"
    " environment text NOT NULL,"
    " database_oid bigint NOT NULL,"
    " database_name text NOT NULL,"
    " system_identifier bigint,"
    " checksum text NOT NULL,"
    " written_at timestamptz NOT NULL DEFAULT pg_catalog.now(),"
    " written_by text NOT NULL)";

constexpr char kLockSql[] = "LOCK TABLE public.database_metadata IN EXCLUSIVE MODE";

constexpr char kInsertSql[] =
    "INSERT INTO public.database_metadata (format_version, environment, database_oid,"
    " database_name, system_identifier, checksum, written_by)"
    " VALUES ($1::integer, $2, $3::bigint, $4, $5::bigint, $6, $7)";

constexpr char kRebindSql[] =
    "UPDATE public.database_metadata SET database_oid = $1::bigint, database_name = $2,"
    " system_identifier = $3::bigint, checksum = $4, written_at = pg_catalog.now(), written_by = $5";

fingerprint::Binding current_binding(const Result& identity) {
  return {identity.text(0, 0), identity.text(0, 1), identity.value(0, 2)};
}

fingerprint::Observation read_observation(Session& session) {
  fingerprint::Observation observation;
  observation.where = session.where();
  const Result identity = session.run(kIdentitySql, {}, "read the database's identity");
  observation.current = current_binding(identity);
  observation.table_exists = identity.text(0, 3) == "t";
  if (!observation.table_exists) return observation;
  const Result rows = session.run(kRowsSql, {}, "read public.database_metadata");
  for (int row = 0; row < rows.rows(); ++row) {
    observation.rows.push_back({rows.text(row, 0), rows.text(row, 1), rows.text(row, 2),
                                rows.text(row, 3), rows.value(row, 4), rows.text(row, 5),
                                rows.text(row, 6), rows.text(row, 7)});
  }
  return observation;
}

Params binding_params(const fingerprint::Binding& binding) {
  return {binding.database_oid, binding.database_name, binding.system_identifier};
}

std::string application_name(Session& session) {
  return session.run("SELECT pg_catalog.current_setting('application_name')", {},
                     "read application_name")
      .text(0, 0);
}

}  // namespace

fingerprint::Observation observe_fingerprint(Session& session) {
  try {
    return read_observation(session);
  } catch (const DatabaseError& error) {
    if (error.sqlstate() == "42501") {
      throw Failure(fingerprint::kUnreadableCode, "cannot read the environment fingerprint",
                    "Reading public.database_metadata at " + session.where() +
                        " was refused: " + error.server_message(),
                    "Grant this role SELECT on public.database_metadata; a database whose "
                    "fingerprint cannot be read is never used.");
    }
    if (error.sqlstate() == "42703" || error.sqlstate() == "42804" ||
        error.sqlstate() == "42883") {
      throw Failure(fingerprint::kCorruptedCode, "database's environment fingerprint is corrupted",
                    "public.database_metadata at " + session.where() +
                        " does not have the fingerprint's layout: " + error.server_message(),
                    "The table was changed by hand. Restore it from a backup of this database.");
    }
    throw;
  }
}

FingerprintInitConnection::FingerprintInitConnection(std::unique_ptr<Session> session)
    : session_(std::move(session)) {}
FingerprintInitConnection::FingerprintInitConnection(FingerprintInitConnection&&) noexcept =
    default;
FingerprintInitConnection::~FingerprintInitConnection() = default;

PMC_MUTATION("fingerprint-init")
FingerprintChange FingerprintInitConnection::write_first(std::string_view environment) {
  if (!fingerprint::is_valid_environment_name(environment)) {
    throw Failure(fingerprint::kInvalidEnvironmentCode,
                  "invalid environment \"" + std::string(environment) +
                      "\": use lower-case letters, digits, '-' and '_', starting with a letter",
                  {}, {}, ExitCode::UsageOrInput);
  }
  Session& session = *session_;
  session.run("BEGIN", {}, "begin the fingerprint transaction");
  try {
    session.run(kCreateTableSql, {}, "create public.database_metadata");
    session.run(kLockSql, {}, "lock public.database_metadata");
    const fingerprint::Observation observation = observe_fingerprint(session);
    FingerprintChange change;
    change.after = {fingerprint::kFormatVersion, std::string(environment), observation.current};
    if (!observation.rows.empty()) {
      const fingerprint::Verdict verdict =
          fingerprint::evaluate(observation, environment, /*in_ci=*/true);
      if (!verdict.healthy()) {
        const fingerprint::StoredRow& row = observation.rows.front();
        throw Failure(fingerprint::kAlreadyPresentCode,
                      "database already has a fingerprint; pmc-init-fingerprint never changes one",
                      "Found at " + session.where() + ": environment \"" + row.environment +
                          "\" written " + row.written_at + " by " + row.written_by + " (" +
                          std::string(fingerprint::state_name(verdict.state)) +
                          " when \"" + std::string(environment) + "\" is asked for).",
                      "If the database was moved, re-bind it with --rebind; otherwise find out "
                      "why the fingerprint differs before touching this database.");
      }
      session.run("ROLLBACK", {}, "end the fingerprint transaction");
      change.outcome = FingerprintChange::Outcome::AlreadyPresent;
      change.before = verdict.fingerprint;
      return change;
    }
    Params params = {std::to_string(fingerprint::kFormatVersion), std::string(environment)};
    for (Param& param : binding_params(observation.current)) params.push_back(std::move(param));
    params.push_back(fingerprint::checksum(change.after));
    params.push_back(application_name(session));
    session.run(kInsertSql, params, "write the fingerprint");
    session.run("COMMIT", {}, "commit the fingerprint");
    return change;
  } catch (...) {
    if (!session.connection_lost()) session.run("ROLLBACK", {}, "roll back the fingerprint");
    throw;
  }
}

PMC_MUTATION("fingerprint-init")
FingerprintChange FingerprintInitConnection::rebind(std::string_view expected_environment) {
  Session& session = *session_;
  session.run("BEGIN", {}, "begin the fingerprint transaction");
  try {
    const fingerprint::Observation first_look = observe_fingerprint(session);
    if (first_look.table_exists) session.run(kLockSql, {}, "lock public.database_metadata");
    const fingerprint::Observation observation = observe_fingerprint(session);
    const fingerprint::Verdict verdict =
        fingerprint::evaluate(observation, expected_environment, /*in_ci=*/true);
    FingerprintChange change;
    if (verdict.healthy()) {
      session.run("ROLLBACK", {}, "end the fingerprint transaction");
      change.outcome = FingerprintChange::Outcome::AlreadyBound;
      change.before = verdict.fingerprint;
      change.after = *verdict.fingerprint;
      return change;
    }
    if (verdict.state != fingerprint::State::BoundElsewhere ||
        verdict.fingerprint->environment != expected_environment) {
      throw Failure(fingerprint::kRebindRefusedCode,
                    "refusing to re-bind: only an intact fingerprint of the expected environment "
                    "that belongs to another database can be re-bound",
                    "At " + session.where() + " the fingerprint is " +
                        std::string(fingerprint::state_name(verdict.state)) + ": " +
                        verdict.failure->message() + ". " + verdict.failure->detail(),
                    verdict.failure->hint());
    }
    change.outcome = FingerprintChange::Outcome::Rebound;
    change.before = verdict.fingerprint;
    change.after = {fingerprint::kFormatVersion, verdict.fingerprint->environment,
                    observation.current};
    Params params = binding_params(observation.current);
    params.push_back(fingerprint::checksum(change.after));
    params.push_back(application_name(session));
    session.run(kRebindSql, params, "re-bind the fingerprint");
    session.run("COMMIT", {}, "commit the re-bound fingerprint");
    return change;
  } catch (...) {
    if (!session.connection_lost()) session.run("ROLLBACK", {}, "roll back the fingerprint");
    throw;
  }
}

}  // namespace pmc::db
