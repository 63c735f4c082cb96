// Facts collected in shards and merged judge exactly like one run; a merge missing a shard
// fails. The facts cache: a re-run over an unchanged tree reuses every unit with identical
// findings; editing a file or a header it includes, or the contract, re-parses what it touches.
#include <gtest/gtest.h>

#include "audit_harness.hpp"

namespace pmc::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> base_arguments(const FixtureRepository& repository, const std::string& cache) {
  return {"-p", repository.build().string(), "--cache-dir", (repository.build() / cache).string(), "--jobs", "2"};
}

AuditRun audit_json(const FixtureRepository& repository, const std::string& cache) {
  std::vector<std::string> arguments = base_arguments(repository, cache);
  arguments.insert(arguments.end(), {"--format", "json", repository.root().string()});
  return FixtureRepository::run(arguments);
}

std::size_t summary_of(const AuditRun& run, const char* key) {
  return run.report.at("summary").at(key).get<std::size_t>();
}

TEST(Shards, MergedShardsJudgeLikeOneRun) {
  const FixtureRepository repository("entry-points");
  const AuditRun whole = audit_json(repository, "cache-whole");
  ASSERT_TRUE(whole.report.is_object()) << whole.process.err;
  ASSERT_FALSE(whole.report.at("findings").empty());

  std::vector<std::string> shard_files;
  for (const char* shard : {"1/2", "2/2"}) {
    const std::string file = (repository.build() / ("shard-" + std::string(1, shard[0]) + ".json")).string();
    std::vector<std::string> arguments = base_arguments(repository, "cache-shards");
    arguments.insert(arguments.end(), {"--shard", shard, "--facts-out", file, repository.root().string()});
    const AuditRun collected = FixtureRepository::run(arguments);
    ASSERT_EQ(collected.process.exit_code, 0) << collected.process.err;
    EXPECT_TRUE(collected.process.out.empty());
    shard_files.push_back(file);
  }
  std::vector<std::string> merge = base_arguments(repository, "cache-merge");
  merge.insert(merge.end(), {"--format", "json", "--merge", shard_files[0], shard_files[1], "--", repository.root().string()});
  const AuditRun merged = FixtureRepository::run(merge);
  ASSERT_TRUE(merged.report.is_object()) << merged.process.err;
  EXPECT_EQ(merged.process.exit_code, 1);
  EXPECT_EQ(merged.report.at("findings"), whole.report.at("findings"));
  EXPECT_EQ(summary_of(merged, "units"), summary_of(whole, "units"));

  std::vector<std::string> partial = base_arguments(repository, "cache-merge");
  partial.insert(partial.end(), {"--merge", shard_files[1], "--", repository.root().string()});
  const AuditRun missing = FixtureRepository::run(partial);
  EXPECT_EQ(missing.process.exit_code, 2);
  EXPECT_NE(missing.process.err.find("shard 1/2 is missing"), std::string::npos) << missing.process.err;
}

TEST(Cache, UnchangedTreeReusesEveryUnitWithIdenticalFindings) {
  const FixtureRepository repository("entry-points");
  const AuditRun cold = audit_json(repository, "cache");
  ASSERT_TRUE(cold.report.is_object()) << cold.process.err;
  EXPECT_EQ(summary_of(cold, "cached_units"), 0u);

  const AuditRun warm = audit_json(repository, "cache");
  ASSERT_TRUE(warm.report.is_object()) << warm.process.err;
  EXPECT_EQ(summary_of(warm, "cached_units"), summary_of(warm, "units"));
  EXPECT_EQ(warm.report.at("findings"), cold.report.at("findings"));
  EXPECT_EQ(warm.process.exit_code, cold.process.exit_code);
}

TEST(Cache, EditsReparseWhatTheyTouch) {
  const FixtureRepository repository("entry-points");
  const AuditRun cold = audit_json(repository, "cache");
  ASSERT_TRUE(cold.report.is_object()) << cold.process.err;
  const std::size_t units = summary_of(cold, "units");
  const auto has_report_finding = [](const AuditRun& run) {
    for (const nlohmann::json& finding : run.report.at("findings")) {
      if (finding.at("file") == "tools/report.cpp") return true;
    }
    return false;
  };
  ASSERT_TRUE(has_report_finding(cold));

  // The unit of the edited file only: refresh.cpp no longer writes.
  std::string refresh = read_file(repository.root() / "tools/helpers/refresh.cpp");
  refresh.replace(refresh.find("fixture::upsert_reference_rows();"), 33, "fixture::count_failed_migrations();");
  repository.write("tools/helpers/refresh.cpp", refresh);
  const AuditRun edited = audit_json(repository, "cache");
  ASSERT_TRUE(edited.report.is_object()) << edited.process.err;
  EXPECT_EQ(summary_of(edited, "cached_units"), units - 1);
  EXPECT_FALSE(has_report_finding(edited));

  // A header: every unit that includes it (summary.cpp and refresh.cpp).
  repository.write("tools/helpers/refresh.hpp",
                   read_file(repository.root() / "tools/helpers/refresh.hpp") + "// edited\n");
  const AuditRun header = audit_json(repository, "cache");
  ASSERT_TRUE(header.report.is_object()) << header.process.err;
  EXPECT_EQ(summary_of(header, "cached_units"), units - 2);

  // The contract: every unit.
  repository.write("rules/contract.json",
                   read_file(repository.root() / "rules/contract.json") + "\n");
  const AuditRun contract = audit_json(repository, "cache");
  ASSERT_TRUE(contract.report.is_object()) << contract.process.err;
  EXPECT_EQ(summary_of(contract, "cached_units"), 0u);
}

}  // namespace
}  // namespace pmc::test
