// Bounded connect retry, with real servers: one that starts a few seconds after the program is
// accepted; one that never comes ends in PMC-C002 within the budget (--connect-timeout).
// These tests stop their server, so they have a cluster of their own.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "db_fixture.hpp"
#include "process.hpp"

namespace pmc::test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

ThrowawayCluster& stoppable_cluster() {
  static ThrowawayCluster cluster;
  return cluster;
}

// Starts the server again however the test ends, so the next test finds it running.
class ServerDown {
 public:
  explicit ServerDown(ThrowawayCluster& cluster) : cluster_(cluster) {
    cluster_.stop_immediately();
  }
  ~ServerDown() {
    if (!started_) cluster_.start();
  }
  void start_now() {
    cluster_.start();
    started_ = true;
  }
  ServerDown(const ServerDown&) = delete;
  ServerDown& operator=(const ServerDown&) = delete;

 private:
  ThrowawayCluster& cluster_;
  bool started_ = false;
};

std::vector<std::string> verify_command(const std::string& url, const std::string& budget) {
  return {pmc_binary("pmc-verify-fingerprints"),
          "--database-url",
          url,
          "--expect-env",
          "dev",
          "--connect-timeout",
          budget};
}

TEST(ConnectRetry, AServerThatStartsLateIsAccepted) {
  ThrowawayCluster& cluster = stoppable_cluster();
  const std::string url = fingerprinted_dev_database(cluster.fresh_database("late"));
  ProcessResult verified;
  Clock::duration took{};
  {
    ServerDown down(cluster);
    const Clock::time_point started = Clock::now();
    std::thread program([&] {
      verified = run_process(verify_command(url, "30"), clean_environment());
      took = Clock::now() - started;
    });
    std::this_thread::sleep_for(milliseconds(2500));
    down.start_now();
    program.join();
  }
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find(": healthy: environment \"dev\""), std::string::npos) << verified.out;
  EXPECT_GE(took, milliseconds(2500)) << "it cannot have connected before the server was there";
  EXPECT_LT(took, std::chrono::seconds(20));
}

TEST(ConnectRetry, AServerThatNeverComesIsAClearErrorWithinTheBudget) {
  ThrowawayCluster& cluster = stoppable_cluster();
  const std::string url = fingerprinted_dev_database(cluster.fresh_database("never"));
  ServerDown down(cluster);
  const Clock::time_point started = Clock::now();
  const ProcessResult refused = run_process(verify_command(url, "2"), clean_environment());
  const Clock::duration took = Clock::now() - started;
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.out.find(": unreachable [PMC-C002]: could not connect to " + url +
                             " within the connect budget"),
            std::string::npos)
      << refused.out;
  EXPECT_NE(refused.out.find("(budget 2.0 s); last error: "), std::string::npos) << refused.out;
  EXPECT_GE(took, milliseconds(1500)) << "it gave up without retrying";
  EXPECT_LT(took, milliseconds(4000)) << "it overran its budget";

  // The same from the library: a Failure with the code, the facts and what to do.
  db::ConnectOptions options = dev_options(url);
  options.connect_budget = milliseconds(1000);
  try {
    db::connect_read_only(options);
    FAIL() << "connected to a stopped server";
  } catch (const Failure& failure) {
    EXPECT_EQ(failure.code(), "PMC-C002");
    EXPECT_NE(failure.detail().find("attempts in"), std::string::npos) << failure.detail();
    EXPECT_NE(failure.hint().find("server is running"), std::string::npos) << failure.hint();
  }
}

}  // namespace
}  // namespace pmc::test
