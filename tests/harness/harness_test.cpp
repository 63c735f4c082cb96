// The throwaway PostgreSQL harness: unix socket only, isolation between clusters, clean-up of
// clusters left behind by killed runs.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "process.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::test {
namespace {

namespace fs = std::filesystem;

// One value from a one-row query, or the error text prefixed with "ERROR: ".
std::string query_value(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::string out;
  if (PQstatus(conn) != CONNECTION_OK) {
    out = std::string("ERROR: ") + PQerrorMessage(conn);
  } else {
    PGresult* result = PQexec(conn, sql.c_str());
    const auto status = PQresultStatus(result);
    if (status == PGRES_TUPLES_OK && PQntuples(result) == 1) {
      out = PQgetvalue(result, 0, 0);
    } else if (status == PGRES_COMMAND_OK) {
      out = "OK";
    } else {
      out = std::string("ERROR: ") + PQresultErrorMessage(result);
    }
    PQclear(result);
  }
  PQfinish(conn);
  return out;
}

bool process_alive(int pid) { return kill(pid, 0) == 0; }

int postmaster_pid(const fs::path& dir) {
  std::ifstream in(dir / "data" / "postmaster.pid");
  int pid = 0;
  in >> pid;
  return pid;
}

fs::path make_temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "pmc-pg-XXXXXX").string();
  EXPECT_NE(mkdtemp(pattern.data()), nullptr);
  return pattern;
}

TEST(ThrowawayCluster, ListensOnItsOwnSocketOnlyWithFsyncOff) {
  ThrowawayCluster cluster;
  const std::string url = cluster.url();
  EXPECT_NE(url.find("host=" + cluster.dir().string()), std::string::npos) << url;
  EXPECT_EQ(query_value(url, "SHOW listen_addresses"), "");
  EXPECT_EQ(query_value(url, "SHOW unix_socket_directories"), cluster.dir().string());
  EXPECT_EQ(query_value(url, "SHOW fsync"), "off");
  EXPECT_TRUE(fs::exists(cluster.dir() / ".s.PGSQL.5432"));
}

TEST(ThrowawayCluster, CreatesDatabasesOnRequest) {
  ThrowawayCluster& cluster = ThrowawayCluster::shared();
  const std::string url = cluster.create_database("Odd name; with 'quotes' and ünïcode");
  EXPECT_EQ(query_value(url, "SELECT current_database()"), "Odd name; with 'quotes' and ünïcode");
  const std::string second = cluster.fresh_database("harness");
  EXPECT_NE(second, cluster.fresh_database("harness"));
}

TEST(ThrowawayCluster, TwoClustersAtOnceAreIsolated) {
  ThrowawayCluster* clusters[2] = {nullptr, nullptr};
  std::thread a([&] { clusters[0] = new ThrowawayCluster(); });
  std::thread b([&] { clusters[1] = new ThrowawayCluster(); });
  a.join();
  b.join();
  ASSERT_NE(clusters[0]->dir(), clusters[1]->dir());
  const std::string first = clusters[0]->create_database("same_name");
  const std::string second = clusters[1]->create_database("same_name");
  EXPECT_EQ(query_value(first, "CREATE TABLE only_in_first (id int)"), "OK");
  EXPECT_EQ(query_value(first, "SELECT count(*) FROM only_in_first"), "0");
  EXPECT_NE(query_value(second, "SELECT count(*) FROM only_in_first").find("does not exist"),
            std::string::npos);
  EXPECT_NE(query_value(first, "SELECT system_identifier FROM pg_control_system()"),
            query_value(second, "SELECT system_identifier FROM pg_control_system()"));
  delete clusters[0];
  delete clusters[1];
}

TEST(ThrowawayCluster, StopRemovesEverything) {
  fs::path dir;
  int server = 0;
  {
    ThrowawayCluster cluster;
    dir = cluster.dir();
    server = postmaster_pid(dir);
    ASSERT_GT(server, 0);
  }
  EXPECT_FALSE(fs::exists(dir));
  EXPECT_FALSE(process_alive(server));
}

// A test run killed with SIGKILL leaves its server running; the next start under the same
// parent directory notices that the owner is gone and removes that cluster.
TEST(ThrowawayCluster, ClusterOfAKilledOwnerIsReapedOnNextStart) {
  const fs::path dir = make_temp_dir();
  const int owner = spawn_detached({"/bin/sleep", "600"}, clean_environment(), "/dev/null");
  run_harness_script({"start", dir.string(), "--owner", std::to_string(owner)});
  const int server = postmaster_pid(dir);
  ASSERT_TRUE(process_alive(server));

  kill(owner, SIGKILL);
  waitpid(owner, nullptr, 0);
  ThrowawayCluster next;  // starts under the same temp parent
  EXPECT_FALSE(fs::exists(dir));
  for (int i = 0; i < 50 && process_alive(server); ++i) usleep(100'000);
  EXPECT_FALSE(process_alive(server));
}

// The whole run died, server included: starting again in the same dir clears the old cluster.
TEST(ThrowawayCluster, StaleClusterInTheSameDirIsClearedOnStart) {
  const fs::path dir = make_temp_dir();
  const int owner = spawn_detached({"/bin/sleep", "600"}, clean_environment(), "/dev/null");
  const std::string url = run_harness_script({"start", dir.string(), "--owner", std::to_string(owner)});
  ASSERT_EQ(query_value(url, "CREATE TABLE left_behind (id int)"), "OK");
  const int server = postmaster_pid(dir);
  kill(owner, SIGKILL);
  waitpid(owner, nullptr, 0);
  kill(server, SIGKILL);
  for (int i = 0; i < 50 && process_alive(server); ++i) usleep(100'000);

  const std::string pid = std::to_string(getpid());
  const std::string again = run_harness_script({"start", dir.string(), "--owner", pid});
  EXPECT_EQ(again, url);
  EXPECT_NE(query_value(again, "SELECT count(*) FROM left_behind").find("does not exist"),
            std::string::npos);
  run_harness_script({"stop", dir.string()});
  EXPECT_FALSE(fs::exists(dir));
}

TEST(ThrowawayCluster, ServerCrashAndRestartKeepsData) {
  ThrowawayCluster cluster;
  const std::string url = cluster.create_database("kept");
  ASSERT_EQ(query_value(url, "CREATE TABLE kept_table (id int)"), "OK");
  cluster.stop_immediately();
  EXPECT_EQ(query_value(url, "SELECT 1").rfind("ERROR: ", 0), 0u);
  cluster.start();
  EXPECT_EQ(query_value(url, "SELECT count(*) FROM kept_table"), "0");
}

TEST(ThrowawayCluster, BadUsageIsAClearError) {
  ProcessResult result = run_process({"/bin/bash", PMC_THROWAWAY_PG_SCRIPT, "frobnicate", "/tmp/x"},
                                     clean_environment());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("unknown command 'frobnicate'"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace pmc::test
