// The migrations folder and checksums without a database: Prisma's order, its refusals, and its
// CRLF-tolerant checksum comparison, checked against sha256sum.
#include "pmc/migrations/store.hpp"

#include <gtest/gtest.h>

#include "migration_test_support.hpp"
#include "pmc/error.hpp"
#include "pmc/migrations/checksum.hpp"

namespace pmc::test {
namespace {

namespace fs = std::filesystem;
using migrations::checksum_matches;
using migrations::checksum_of;
using migrations::MigrationStore;

// The failure MigrationStore::load throws for `dir`, or a test failure when it throws none.
Failure load_failure(const fs::path& dir) {
  try {
    MigrationStore::load(dir);
  } catch (const Failure& failure) {
    return failure;
  }
  ADD_FAILURE() << "loading " << dir << " succeeded";
  return Failure("none", "none");
}

TEST(Checksum, IsSha256HexOfTheFileAsSha256sumComputesIt) {
  for (const std::string& name : MigrationsFolder::copy_of(reference_migrations()).names()) {
    const std::string script = read_file(reference_migrations() / name / "migration.sql");
    EXPECT_EQ(checksum_of(script), sha256_hex(script)) << name;
  }
  EXPECT_EQ(checksum_of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Checksum, MatchesAcrossLineEndingsAsPrismaDoes) {
  const std::string lf = "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n";
  const std::string crlf = "CREATE TABLE a (id int);\r\nCREATE TABLE b (id int);\r\n";
  EXPECT_TRUE(checksum_matches(lf, checksum_of(lf)));
  EXPECT_TRUE(checksum_matches(crlf, checksum_of(lf)));  // applied with LF, checked out with CRLF
  EXPECT_TRUE(checksum_matches(lf, checksum_of(crlf)));  // applied with CRLF, checked out with LF
  EXPECT_FALSE(checksum_matches(lf + "-- edited\n", checksum_of(lf)));
  EXPECT_FALSE(checksum_matches("CREATE TABLE a (id bigint);\n", checksum_of(lf)));
  EXPECT_FALSE(checksum_matches(lf, ""));
}

TEST(Checksum, AcceptsTheUnpaddedHexOfOldPrismaVersions) {
  // Find a script whose digest has a byte below 0x10, render it the old way (no zero padding).
  for (int i = 0;; ++i) {
    const std::string script = "SELECT " + std::to_string(i) + ";\n";
    const std::string padded = checksum_of(script);
    std::string unpadded;
    for (std::size_t at = 0; at < 64; at += 2) {
      if (padded[at] != '0') unpadded.push_back(padded[at]);
      unpadded.push_back(padded[at + 1]);
    }
    if (unpadded.size() == 64) continue;
    EXPECT_TRUE(checksum_matches(script, unpadded)) << script;
    EXPECT_FALSE(checksum_matches("SELECT -1;\n", unpadded));
    break;
  }
}

TEST(Store, ReadsFoldersInByteOrderAndIgnoresFiles) {
  MigrationsFolder folder;
  folder.write("20240102000000_b", "SELECT 2;\n");
  folder.write("20240101000000_a", "SELECT 1;\n");
  folder.write("20240101000000_B", "SELECT 0;\n");  // 'B' < 'a' in byte order
  write_file(folder.path() / "README.md", "not a migration\n");
  write_file(folder.path() / "migration_lock.toml", "provider = \"postgresql\"\n");
  const MigrationStore store = MigrationStore::load(folder.path());
  ASSERT_EQ(store.migrations().size(), 3u);
  EXPECT_EQ(store.migrations()[0].name, "20240101000000_B");
  EXPECT_EQ(store.migrations()[1].name, "20240101000000_a");
  EXPECT_EQ(store.migrations()[2].name, "20240102000000_b");
  EXPECT_EQ(store.migrations()[1].script, "SELECT 1;\n");
  EXPECT_EQ(store.migrations()[1].checksum, sha256_hex("SELECT 1;\n"));
  EXPECT_NE(store.find("20240102000000_b"), nullptr);
  EXPECT_EQ(store.find("20240102000000"), nullptr);
}

TEST(Store, ReadsTheReferenceAppHistory) {
  const MigrationStore store = MigrationStore::load(reference_migrations());
  ASSERT_EQ(store.migrations().size(), kReferenceMigrationCount);
  EXPECT_EQ(store.migrations().front().name, "20240115093000_service_catalog");
}

TEST(Store, RefusesAMissingFolderAsBadInput) {
  const Failure failure = load_failure("/nonexistent/pmc/migrations");
  EXPECT_EQ(failure.code(), "PMC-3103");
  EXPECT_EQ(failure.exit_code(), ExitCode::UsageOrInput);
  EXPECT_NE(failure.message().find("/nonexistent/pmc/migrations"), std::string::npos);
}

TEST(Store, RefusesAFileGivenAsTheFolder) {
  MigrationsFolder folder;
  write_file(folder.path() / "plain", "x");
  const Failure failure = load_failure(folder.path() / "plain");
  EXPECT_EQ(failure.code(), "PMC-3103");
  EXPECT_NE(failure.message().find("not a directory"), std::string::npos);
}

TEST(Store, RefusesAFolderWithoutMigrationSql) {
  MigrationsFolder folder = MigrationsFolder::copy_of(reference_migrations());
  fs::create_directories(folder.path() / "20250101000000_empty");
  const Failure failure = load_failure(folder.path());
  EXPECT_EQ(failure.code(), "PMC-3015");
  EXPECT_EQ(failure.exit_code(), ExitCode::UsageOrInput);
  EXPECT_NE(failure.message().find("20250101000000_empty"), std::string::npos);
}

TEST(Store, RefusesAnotherProviderInTheLockFile) {
  MigrationsFolder folder = MigrationsFolder::copy_of(reference_migrations());
  write_file(folder.path() / "migration_lock.toml", "# x\nprovider = \"mysql\"\n");
  const Failure failure = load_failure(folder.path());
  EXPECT_EQ(failure.code(), "PMC-3019");
  EXPECT_NE(failure.message().find("mysql"), std::string::npos);
  // Without a provider line, or with CRLF line endings, the lock file is accepted, as by Prisma.
  write_file(folder.path() / "migration_lock.toml", "# nothing\n");
  EXPECT_NO_THROW(MigrationStore::load(folder.path()));
  write_file(folder.path() / "migration_lock.toml", "provider = \"postgresql\"\r\n");
  EXPECT_NO_THROW(MigrationStore::load(folder.path()));
}

TEST(Store, RefusesAScriptThatIsNotUtf8) {
  MigrationsFolder folder;
  folder.write("20240101000000_latin1", "INSERT INTO t VALUES ('caf\xe9');\n");
  const Failure failure = load_failure(folder.path());
  EXPECT_EQ(failure.code(), "PMC-3103");
  EXPECT_NE(failure.message().find("UTF-8"), std::string::npos);
}

}  // namespace
}  // namespace pmc::test
