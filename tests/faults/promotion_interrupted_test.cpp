// A promotion apply interrupted after it wrote rows and before it committed, three ways: the
// server stopped fast, the server stopped immediately (a crash), the backend terminated with
// pg_terminate_backend. Each time the program exits non-zero, prod holds exactly the rows it held
// before, the next dry run plans the same, and the next apply finishes and leaves nothing to plan.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "fault_support.hpp"
#include "promotion_fixture.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::test {
namespace {

// The apply's session waits for the row lock the test holds on Mowing, inside its UPDATE, after
// its COPY wrote the creates: it holds a transaction id, so it has written.
constexpr char kApplyWaits[] =
    "SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = "
    "'pmc-sync-reference-data' AND datname = current_database() AND wait_event_type = 'Lock' "
    "AND backend_xid IS NOT NULL AND query LIKE 'UPDATE%'";
constexpr char kApplyBackend[] =
    "SELECT pid FROM pg_stat_activity WHERE application_name = 'pmc-sync-reference-data' AND "
    "datname = current_database() AND wait_event_type = 'Lock'";

nlohmann::json plan_of(const ProcessResult& dry_run) {
  nlohmann::json plan = nlohmann::json::parse(dry_run.out, nullptr, false);
  if (!plan.is_discarded()) plan.erase("stage");
  return plan;
}

std::string summary_text(const nlohmann::json& plan) {
  return plan.is_discarded() ? "unreadable plan" : plan["summary"].dump();
}

std::string error_lines(const std::string& text) {
  std::string lines;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text.find('\n', at);
    const std::string line = text.substr(at, end - at);
    if (mentions(line, "error [") || line.rfind("detail: ", 0) == 0 ||
        line.rfind("hint: ", 0) == 0) {
      lines += (lines.empty() ? "" : " | ") + line;
    }
    at = end == std::string::npos ? text.size() : end + 1;
  }
  return lines;
}

class PromotionInterrupted : public Promotion, public ::testing::WithParamInterface<Fault> {
 protected:
  void TearDown() override { ThrowawayCluster::shared().start(); }
};

TEST_P(PromotionInterrupted, MidApplyLeavesProdAsBeforeAndTheNextApplyFinishes) {
  const Fault fault = GetParam();
  seed_example();
  const std::string before = data_dump(prod_, Sequences::LeftOut);
  const nlohmann::json planned = plan_of(sync({"--format", "json"}));
  ASSERT_FALSE(planned.is_discarded());
  ASSERT_EQ(planned["summary"]["create"], 2);
  ASSERT_EQ(planned["summary"]["update"], 2);

  auto holder = std::make_unique<HoldingSession>(prod_, "pmc-fault-holder");
  holder->run("BEGIN; SELECT 1 FROM services WHERE name = 'Mowing' FOR UPDATE");
  const std::string dir = ThrowawayCluster::shared().dir().string();
  const std::string yes = dir + "/yes.txt";
  std::ofstream(yes) << "YES\n";
  const std::string log = dir + "/promotion-fault.log";
  const int pid = spawn_detached({"/bin/sh", "-c", "exec \"$0\" --apply < \"$1\"",
                                  pmc_binary("pmc-sync-reference-data"), yes},
                                 sync_environment(), log);
  ASSERT_TRUE(wait_for(prod_, kApplyWaits)) << read_file(log);
  const std::string backend = one(prod_, kApplyBackend);
  switch (fault) {
    case Fault::ServerStoppedFast:
      ThrowawayCluster::shared().stop_fast();
      break;
    case Fault::ServerStoppedImmediately:
      ThrowawayCluster::shared().stop_immediately();
      break;
    case Fault::BackendTerminated:
      ASSERT_EQ(one(prod_, "SELECT pg_terminate_backend(" + backend + ")"), "t");
      break;
  }
  journal(fault_name(fault) + " while pmc-sync-reference-data --apply's backend (pid " +
          backend + ") had copied its 2 creates in and waited for a row lock in its UPDATE");
  holder.reset();

  const int exit_code = wait_for_exit(pid);
  const std::string output = read_file(log);
  EXPECT_EQ(exit_code, 1) << output;
  EXPECT_TRUE(mentions(output, "error [")) << output;
  journal("pmc-sync-reference-data: " + describe_exit(exit_code) + ": " + error_lines(output));
  if (fault != Fault::BackendTerminated) {
    ThrowawayCluster::shared().start();
    journal("server started again on the same data" +
            std::string(fault == Fault::ServerStoppedImmediately ? " (crash recovery)" : ""));
  }

  EXPECT_EQ(data_dump(prod_, Sequences::LeftOut), before);
  const nlohmann::json replanned = plan_of(sync({"--format", "json"}));
  EXPECT_EQ(replanned, planned);
  journal("next run saw: prod's rows exactly as before the apply; the dry run plans the same (" +
          summary_text(replanned) + ")");

  const ProcessResult applied = sync({"--apply"}, "YES\n");
  EXPECT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_EQ(one(prod_, "SELECT \"basePrice\" FROM services WHERE name = 'Mowing'"), "20.00");
  EXPECT_EQ(one(prod_, "SELECT count(*) FROM services WHERE name = 'Cleaning'"), "1");
  const nlohmann::json nothing = plan_of(sync({"--format", "json"}));
  EXPECT_EQ(nothing["summary"]["create"], 0);
  EXPECT_EQ(nothing["summary"]["update"], 0);
  journal("next apply: " + describe_exit(applied.exit_code) + "; the dry run after it plans " +
          summary_text(nothing));
}

INSTANTIATE_TEST_SUITE_P(EachFault, PromotionInterrupted,
                         ::testing::Values(Fault::ServerStoppedFast,
                                           Fault::ServerStoppedImmediately,
                                           Fault::BackendTerminated),
                         [](const ::testing::TestParamInfo<Fault>& info) { return fault_test_name(info.param); });

}  // namespace
}  // namespace pmc::test
