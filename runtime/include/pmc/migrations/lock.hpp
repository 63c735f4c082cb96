// Prisma Migrate's advisory lock: one session-level `pg_advisory_lock(72707369)` serialises every
// deploy and resolve, pmc's and Prisma's alike.
#pragma once

#include <chrono>
#include <cstdint>

#include "pmc/db.hpp"

namespace pmc::migrations {

// The key Prisma's schema engine locks (prisma-engines, sql-schema-connector).
inline constexpr std::int64_t kPrismaAdvisoryLockKey = 72707369;

// Holds the lock on its connection's session until destroyed (or until the session ends).
class MigrationLock {
 public:
  MigrationLock(MigrationLock&& other) noexcept;
  MigrationLock& operator=(MigrationLock&&) = delete;
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;
  ~MigrationLock();

 private:
  friend MigrationLock acquire_migration_lock(db::WritableConnection&, std::chrono::milliseconds);
  explicit MigrationLock(db::WritableConnection& connection) : connection_(&connection) {}
  db::WritableConnection* connection_;
};

// Waits up to `timeout` for the lock, then throws pmc::Failure PMC-3102 (exit 1) naming the
// sessions that hold it.
MigrationLock acquire_migration_lock(db::WritableConnection& connection,
                                     std::chrono::milliseconds timeout);

}  // namespace pmc::migrations
