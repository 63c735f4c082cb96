// Reading and writing public.database_metadata: the only SQL that touches the fingerprint table.
#include "pmc/fingerprint/init_rules.hpp"
#include "pmc/fingerprint_access.hpp"
#include "session.hpp"

namespace pmc::db {
namespace {

// Whether the role may read the cluster's system identifier is asked first, in a query of its
// own: PostgreSQL checks EXECUTE on every function of a statement when it starts executing it,
// even in a CASE branch that never runs.
constexpr char kIdentitySql[] =
    "SELECT d.oid::text, d.datname::text,"
    " pg_catalog.has_function_privilege('pg_catalog.pg_control_system()', 'EXECUTE'),"
    " pg_catalog.to_regclass('public.database_metadata') IS NOT NULL"
    " FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()";

constexpr char kSystemIdentifierSql[] =
    "SELECT c.system_identifier::text FROM pg_catalog.pg_control_system() c";

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

fingerprint::Binding current_binding(Session& session, const Result& identity) {
  fingerprint::Binding binding{identity.text(0, 0), identity.text(0, 1), std::nullopt};
  if (identity.text(0, 2) == "t") {
    binding.system_identifier =
        session.run(kSystemIdentifierSql, {}, "read the cluster's system identifier").value(0, 0);
  }
  return binding;
}

fingerprint::Observation read_observation(Session& session) {
  fingerprint::Observation observation;
  observation.where = session.where();
  const Result identity = session.run(kIdentitySql, {}, "read the database's identity");
  observation.current = current_binding(session, identity);
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

// A transaction for one fingerprint change. client_min_messages keeps the server's notices
// ("relation already exists, skipping") out of the program's output.
void begin_fingerprint_transaction(Session& session) {
  session.run("BEGIN", {}, "begin the fingerprint transaction");
  session.run("SET LOCAL client_min_messages = warning", {}, "quiet the fingerprint transaction");
}

// Rolls back after a failure without hiding it: the first error is the one to report.
void roll_back_quietly(Session& session) {
  if (session.connection_lost()) return;
  try {
    session.run("ROLLBACK", {}, "roll back the fingerprint");
  } catch (const Failure&) {
    // The session ends with the program; the server rolls back then.
  }
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
    // Refused before the transaction, so that not even the table is created.
    throw *fingerprint::decide_first_write({}, environment).refusal;
  }
  Session& session = *session_;
  begin_fingerprint_transaction(session);
  try {
    session.run(kCreateTableSql, {}, "create public.database_metadata");
    session.run(kLockSql, {}, "lock public.database_metadata");
    const fingerprint::InitDecision decision =
        fingerprint::decide_first_write(observe_fingerprint(session), environment);
    if (decision.step == fingerprint::InitStep::Refuse) throw *decision.refusal;
    FingerprintChange change;
    change.before = decision.stored;
    change.after = decision.result;
    if (decision.step == fingerprint::InitStep::NothingToDo) {
      session.run("ROLLBACK", {}, "end the fingerprint transaction");
      change.outcome = FingerprintChange::Outcome::AlreadyPresent;
      return change;
    }
    Params params = {std::to_string(fingerprint::kFormatVersion), change.after.environment};
    for (Param& param : binding_params(change.after.binding)) params.push_back(std::move(param));
    params.push_back(fingerprint::checksum(change.after));
    params.push_back(application_name(session));
    session.run(kInsertSql, params, "write the fingerprint");
    session.run("COMMIT", {}, "commit the fingerprint");
    change.outcome = FingerprintChange::Outcome::Written;
    return change;
  } catch (...) {
    roll_back_quietly(session);
    throw;
  }
}

PMC_MUTATION("fingerprint-init")
FingerprintChange FingerprintInitConnection::rebind(std::string_view expected_environment) {
  Session& session = *session_;
  begin_fingerprint_transaction(session);
  try {
    // LOCK needs the table; without one there is nothing to re-bind and the decision says so.
    if (observe_fingerprint(session).table_exists) {
      session.run(kLockSql, {}, "lock public.database_metadata");
    }
    const fingerprint::InitDecision decision =
        fingerprint::decide_rebind(observe_fingerprint(session), expected_environment);
    if (decision.step == fingerprint::InitStep::Refuse) throw *decision.refusal;
    FingerprintChange change;
    change.before = decision.stored;
    change.after = decision.result;
    if (decision.step == fingerprint::InitStep::NothingToDo) {
      session.run("ROLLBACK", {}, "end the fingerprint transaction");
      change.outcome = FingerprintChange::Outcome::AlreadyBound;
      return change;
    }
    Params params = binding_params(change.after.binding);
    params.push_back(fingerprint::checksum(change.after));
    params.push_back(application_name(session));
    const Result updated = session.run(kRebindSql, params, "re-bind the fingerprint");
    if (updated.affected_rows() != 1) {
      throw Failure(fingerprint::kRebindRefusedCode, "re-binding changed no row",
                    "public.database_metadata at " + session.where() + " changed under the lock.",
                    "Run again; nothing was written.");
    }
    session.run("COMMIT", {}, "commit the re-bound fingerprint");
    change.outcome = FingerprintChange::Outcome::Rebound;
    return change;
  } catch (...) {
    roll_back_quietly(session);
    throw;
  }
}

}  // namespace pmc::db
