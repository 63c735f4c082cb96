// Prisma's migration advisory lock, taken with a bounded wait and released with the object.
#include "pmc/migrations/lock.hpp"

#include <algorithm>
#include <string>
#include <thread>

#include "pmc/error.hpp"

namespace pmc::migrations {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Polling pg_try_advisory_lock instead of a blocking pg_advisory_lock under lock_timeout: the
// wait stays bounded without touching the session's settings, and a waiter that gives up leaves
// nothing queued behind the holder.
constexpr milliseconds kFirstPoll{5};
constexpr milliseconds kLongestPoll{100};

const std::string kKey = std::to_string(kPrismaAdvisoryLockKey);

bool try_lock(db::WritableConnection& connection) {
  return connection.query("SELECT pg_catalog.pg_try_advisory_lock($1::bigint)", {kKey})
             .text(0, 0) == "t";
}

// The sessions holding the key, for the timeout message. A bigint key is stored as
// classid (high half), objid (low half), objsubid 1.
std::string describe_holders(db::WritableConnection& connection) {
  const db::Result holders = connection.query(
      "SELECT l.pid::text, coalesce(a.application_name, ''), coalesce(a.usename::text, ''),"
      " coalesce(a.client_addr::text, 'local'),"
      " coalesce(to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), '?'),"
      " coalesce(a.state, '')"
      " FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
      " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
      " AND l.classid::bigint = ($1::bigint >> 32) AND l.objid::bigint = ($1::bigint & 4294967295)"
      " AND l.database = (SELECT oid FROM pg_catalog.pg_database"
      " WHERE datname = pg_catalog.current_database())",
      {kKey});
  if (holders.rows() == 0) return "The holder released it just now; no session holds it any more.";
  std::string text = "Held by ";
  for (int row = 0; row < holders.rows(); ++row) {
    if (row > 0) text += "; ";
    text += "pid " + holders.text(row, 0);
    const std::string application = holders.text(row, 1);
    text += application.empty() ? " (no application_name)" : " (" + application + ")";
    text += ", user " + holders.text(row, 2) + " from " + holders.text(row, 3) +
            ", connected since " + holders.text(row, 4) + " UTC, " + holders.text(row, 5);
  }
  return text + ".";
}

std::string seconds_text(milliseconds duration) {
  const auto tenths = duration.count() / 100;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " s";
}

}  // namespace

MigrationLock::MigrationLock(MigrationLock&& other) noexcept : connection_(other.connection_) {
  other.connection_ = nullptr;
}

MigrationLock::~MigrationLock() {
  if (connection_ == nullptr) return;
  try {
    connection_->query("SELECT pg_catalog.pg_advisory_unlock($1::bigint)", {kKey});
  } catch (...) {
    // A destructor cannot report; the lock ends with the session anyway.
  }
}

MigrationLock acquire_migration_lock(db::WritableConnection& connection,
                                     std::chrono::milliseconds timeout) {
  const Clock::time_point started = Clock::now();
  const Clock::time_point deadline = started + timeout;
  milliseconds poll = kFirstPoll;
  while (!try_lock(connection)) {
    const Clock::time_point now = Clock::now();
    if (now >= deadline) {
      throw Failure(
          "PMC-3102",
          "timed out after " + seconds_text(timeout) +
              " waiting for the migration advisory lock (pg_advisory_lock(" + kKey + "))",
          describe_holders(connection),
          "Another deploy or resolve (pmc's or Prisma's) is running on this database. Wait for "
          "it to finish and run again, or raise --lock-timeout.");
    }
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - now);
    std::this_thread::sleep_for(std::min({poll, left, kLongestPoll}));
    poll = std::min(poll * 2, kLongestPoll);
  }
  return MigrationLock(connection);
}

}  // namespace pmc::migrations
