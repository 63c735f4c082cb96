// The bad-input matrix: each input once, against pmc's programs run as real processes. Every one
// is refused with exit 2 (usage or input) or 1 (refusal), an error line naming the input, and
// the database exactly as it was; inputs found in the files are refused before any connection.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <memory>

#include "foreign_server.hpp"
#include "migration_test_support.hpp"
#include "refusal_check.hpp"
#include "server_log.hpp"
#include "throwaway_cluster.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PMC_BUILT_WITH_ASAN 1
#endif
#endif
#ifndef PMC_BUILT_WITH_ASAN
#define PMC_BUILT_WITH_ASAN 0
#endif

namespace pmc::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr char kDeploy[] = "pmc-deploy-db";

std::string history_and_schema(const std::string& url) {
  std::string rows;
  for (const std::string& row : migration_rows(url)) rows += row + "\n";
  return rows + schema_dump(url);
}

// A database with the reference history applied: what each refusal must leave as it was.
class BadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = fingerprinted_database("bad_input");
    ASSERT_EQ(deploy(url_, folder_).exit_code, 0);
    before_ = history_and_schema(url_);
    watch_ = std::make_unique<ServerLogWatch>(ThrowawayCluster::shared());
  }

  // Refused before connecting: the server saw no connection, and nothing changed.
  void expect_untouched_and_unconnected() {
    EXPECT_EQ(watch_->connection_lines().size(), 0u) << watch_->new_text();
    expect_untouched();
  }
  void expect_untouched() { EXPECT_EQ(history_and_schema(url_), before_); }

  ProcessResult deploy_from(const fs::path& migrations) {
    return run_pmc(kDeploy, url_, {"--migrations", migrations.string()});
  }

  std::string url_, before_;
  MigrationsFolder folder_ = MigrationsFolder::copy_of(reference_migrations());
  std::unique_ptr<ServerLogWatch> watch_;
};

TEST_F(BadInput, MissingMigrationsFolder) {
  const fs::path missing = folder_.path() / "no-such-folder";
  expect_refusal("missing migrations folder", deploy_from(missing), kDeploy, 2, "PMC-3103",
                 missing.string() + " does not exist");
  expect_untouched_and_unconnected();
}

// Root reads everything whatever the mode bits say, so as root the program runs as the
// unprivileged `postgres` user (the harness's server user), for whom mode 000 means unreadable.
ProcessResult run_unprivileged(const std::string& url, const fs::path& migrations,
                               const fs::path& readable_root) {
  std::vector<std::string> argv = {pmc_binary(kDeploy), "--migrations", migrations.string()};
  if (geteuid() == 0) {
    // The way down to the folder must be open to that user; only the folder under test is not.
    for (fs::path dir = readable_root; !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path()) {
      fs::permissions(dir, fs::perms::others_exec | fs::perms::others_read,
                      fs::perm_options::add);
    }
    argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
  }
  Environment environment = clean_environment();
  environment["CI"] = "true";
  environment["DATABASE_URL"] = url;
  environment["PMC_EXPECTED_ENV"] = "prod";
  return run_process(argv, environment);
}

TEST_F(BadInput, UnreadableMigrationsFolder) {
  fs::permissions(folder_.path(), fs::perms::none);
  const ProcessResult run = run_unprivileged(url_, folder_.path(), folder_.path().parent_path());
  fs::permissions(folder_.path(), fs::perms::owner_all);
  expect_refusal("unreadable migrations folder (mode 000)", run, kDeploy, 2, "PMC-3103",
                 "cannot read migrations folder " + folder_.path().string() +
                     ": Permission denied");
  expect_untouched_and_unconnected();
}

// The folder exists but its parent cannot be searched: not "missing", unreadable.
TEST_F(BadInput, MigrationsFolderBehindAnUnsearchableParent) {
  const fs::path inside = folder_.path() / folder_.names().front();
  fs::permissions(folder_.path(), fs::perms::none);
  const ProcessResult run = run_unprivileged(url_, inside, folder_.path().parent_path());
  fs::permissions(folder_.path(), fs::perms::owner_all);
  expect_refusal("migrations folder behind an unsearchable parent (mode 000)", run, kDeploy, 2,
                 "PMC-3103",
                 "cannot read migrations folder " + inside.string() + ": Permission denied");
  expect_untouched_and_unconnected();
}

TEST_F(BadInput, UnreadableMigrationFolderInside) {
  const fs::path inside = folder_.path() / folder_.names().front();
  fs::permissions(inside, fs::perms::none);
  const ProcessResult run = run_unprivileged(url_, folder_.path(), folder_.path());
  fs::permissions(inside, fs::perms::owner_all);
  expect_refusal("unreadable migration folder inside it (mode 000)", run, kDeploy, 2,
                 "PMC-3103",
                 "cannot read " + (inside / "migration.sql").string() + ": Permission denied");
  expect_untouched_and_unconnected();
}

TEST_F(BadInput, UnreadableMigrationFile) {
  const fs::path script = folder_.script(folder_.names().back());
  fs::permissions(script, fs::perms::none);
  const ProcessResult run = run_unprivileged(url_, folder_.path(), folder_.path());
  fs::permissions(script, fs::perms::owner_read | fs::perms::owner_write);
  expect_refusal("unreadable migration.sql (mode 000)", run, kDeploy, 2, "PMC-3103",
                 "cannot read " + script.string() + ": Permission denied");
  expect_untouched_and_unconnected();
}

TEST_F(BadInput, EmptyMigrationFolder) {
  const fs::path empty = folder_.path() / "20240301000000_forgotten";
  fs::create_directories(empty);
  expect_refusal("migration folder without migration.sql", deploy_from(folder_.path()), kDeploy,
                 2, "PMC-3015", empty.string() + " has no migration.sql file");
  expect_untouched_and_unconnected();
}

TEST_F(BadInput, NonUtf8MigrationFile) {
  folder_.write("20240301000000_latin1", "UPDATE services SET name = 'caf\xe9';\n");
  expect_refusal("non-UTF-8 migration.sql (Latin-1 byte 0xE9)", deploy_from(folder_.path()),
                 kDeploy, 2, "PMC-3103",
                 folder_.script("20240301000000_latin1").string() + " is not valid UTF-8");
  expect_untouched_and_unconnected();
}

TEST_F(BadInput, NonUtf8MigrationFolderName) {
  folder_.write("20240301000000_caf\xe9", "CREATE TABLE \"cafe\" (\"id\" INTEGER);\n");
  expect_refusal("non-UTF-8 migration folder name", deploy_from(folder_.path()), kDeploy, 2,
                 "PMC-3103", "is not UTF-8");
  expect_untouched_and_unconnected();
}

// libpq takes the script as a C string: before the store refused NUL bytes, the part after one
// never ran and yet the migration was recorded as applied.
TEST_F(BadInput, MigrationFileWithANulByte) {
  const std::string name = "20240301000000_nul";
  const std::string before_nul = "CREATE TABLE \"before_nul\" (\"id\" INTEGER);\n";
  folder_.write(name, before_nul + std::string(1, '\0') +
                          "CREATE TABLE \"after_nul\" (\"id\" INTEGER);\n");
  expect_refusal("migration.sql with a NUL byte", deploy_from(folder_.path()), kDeploy, 2,
                 "PMC-3103",
                 folder_.script(name).string() + " contains a NUL byte (at byte " +
                     std::to_string(before_nul.size()) + ")");
  expect_untouched_and_unconnected();
}

// Sparse: 2 GiB long, no disk used, and no time spent unless the program reads it.
void make_sparse(const fs::path& file, off_t size) {
  const int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(ftruncate(fd, size), 0);
  close(fd);
}

constexpr off_t kTwoGigabytes = off_t{2} * 1024 * 1024 * 1024;

TEST_F(BadInput, TwoGigabyteMigrationFileIsRefusedByItsSizeUnread) {
  const std::string name = "20240301000000_huge";
  fs::create_directories(folder_.path() / name);
  make_sparse(folder_.script(name), kTwoGigabytes);
  const Clock::time_point started = Clock::now();
  const ProcessResult run = deploy_from(folder_.path());
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  expect_refusal("2 GiB migration.sql (sparse)", run, kDeploy, 2, "PMC-3103",
                 folder_.script(name).string() +
                     " is 2147483648 bytes, over the limit of 1073741817: PostgreSQL cannot "
                     "receive a longer script as one query");
  // Reading 2 GiB would take seconds and the memory to hold it.
  EXPECT_LT(took.count(), 3000);
  expect_untouched_and_unconnected();
}

TEST_F(BadInput, TwoGigabyteLockFileIsRefusedByItsSizeUnread) {
  make_sparse(folder_.path() / "migration_lock.toml", kTwoGigabytes);
  const Clock::time_point started = Clock::now();
  const ProcessResult run = deploy_from(folder_.path());
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  expect_refusal("2 GiB migration_lock.toml (sparse)", run, kDeploy, 2, "PMC-3103",
                 (folder_.path() / "migration_lock.toml").string() + " is 2147483648 bytes");
  EXPECT_LT(took.count(), 3000);
  expect_untouched_and_unconnected();
}

// The address space is capped below the file's size: a program that tried to hold it would fail
// to allocate instead of passing by luck on a machine with memory to spare.
TEST_F(BadInput, ALargeMigrationFileIsRefusedWithinAnAddressSpaceSmallerThanIt) {
#if defined(__SANITIZE_ADDRESS__) || PMC_BUILT_WITH_ASAN
  GTEST_SKIP() << "AddressSanitizer reserves terabytes of address space for its shadow memory";
#endif
  const std::string name = "20240301000000_huge";
  fs::create_directories(folder_.path() / name);
  make_sparse(folder_.script(name), kTwoGigabytes);
  const ProcessResult run = run_process(
      {"/bin/sh", "-c", "ulimit -v 1048576 && exec \"$0\" --migrations \"$1\"", pmc_binary(kDeploy),
       folder_.path().string()},
      [this] {
        Environment environment = clean_environment();
        environment["CI"] = "true";
        environment["DATABASE_URL"] = url_;
        environment["PMC_EXPECTED_ENV"] = "prod";
        return environment;
      }());
  expect_refusal("2 GiB migration.sql under a 1 GiB address-space limit", run, kDeploy, 2,
                 "PMC-3103", "is 2147483648 bytes, over the limit");
  expect_untouched_and_unconnected();
}

// Linux file names are at most 255 bytes, so no folder can carry a longer migration name; the
// only way one reaches pmc is as an argument, which the deprecated resolve takes.
TEST_F(BadInput, MigrationNameOver255Characters) {
  const std::string long_name = "20240301000000_" + std::string(250, 'n');
  ASSERT_EQ(long_name.size(), 265u);
  std::error_code error;
  fs::create_directories(folder_.path() / long_name, error);
  EXPECT_EQ(error, std::errc::filename_too_long) << error.message();
  std::cout << "[bad-input] a 265-byte folder name: the file system refuses it ("
            << error.message() << ")" << std::endl;

  const ProcessResult applied =
      run_pmc("pmc-resolve-failed-migrations", url_,
              {"--migrations", folder_.path().string(), "--applied", long_name});
  expect_refusal("pmc-resolve-failed-migrations --applied <265-character name>", applied,
                 "pmc-resolve-failed-migrations", 2, "PMC-3017", long_name,
                 Lines::WithDetailAndHint);
  const ProcessResult rolled_back =
      run_pmc("pmc-resolve-failed-migrations", url_,
              {"--migrations", folder_.path().string(), "--rolled-back", long_name});
  expect_refusal("pmc-resolve-failed-migrations --rolled-back <265-character name>", rolled_back,
                 "pmc-resolve-failed-migrations", 1, "PMC-3011", long_name,
                 Lines::WithDetailAndHint);
  expect_untouched();
}

struct ForeignReply {
  const char* name;
  const char* reply;
  bool tcp;
};

void PrintTo(const ForeignReply& reply, std::ostream* out) { *out << reply.name; }

class NotPostgres : public BadInput, public ::testing::WithParamInterface<ForeignReply> {};

TEST_P(NotPostgres, AUrlToAServerThatIsNotPostgresql) {
  const ForeignReply& foreign = GetParam();
  const MigrationsFolder socket_dir;
  const ForeignServer server = foreign.tcp
                                   ? ForeignServer::on_tcp(foreign.reply)
                                   : ForeignServer::on_unix_socket(socket_dir.path(), foreign.reply);
  const std::string url = server.url("prod");
  const Clock::time_point started = Clock::now();
  const ProcessResult run = run_pmc(kDeploy, url, {"--migrations", folder_.path().string()});
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  expect_refusal(std::string("URL to a server that is not PostgreSQL (") + foreign.name + ")",
                 run, kDeploy, 1, "PMC-C003", "could not connect to " + url,
                 Lines::WithDetailAndHint);
  EXPECT_GE(server.connections(), 1);
  // Not retried as if a PostgreSQL server were starting: a foreign reply is final.
  EXPECT_LT(took.count(), 10000);
  expect_untouched_and_unconnected();
}

INSTANTIATE_TEST_SUITE_P(
    EachServer, NotPostgres,
    ::testing::Values(
        ForeignReply{"http_on_unix_socket",
                     "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                     false},
        ForeignReply{"ssh_on_tcp", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", true}),
    [](const ::testing::TestParamInfo<ForeignReply>& info) {
      return std::string(info.param.name);
    });

}  // namespace
}  // namespace pmc::test
