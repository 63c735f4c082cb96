// The fingerprint's rules without a database: the checksum covers every field and cannot be
// matched by moving bytes between fields; evaluate() and the init decisions in their order.
#include <gtest/gtest.h>

#include "pmc/fingerprint.hpp"
#include "pmc/fingerprint/init_rules.hpp"

namespace pmc::fingerprint {
namespace {

Fingerprint sample() { return {kFormatVersion, "dev", {"16384", "app", std::string("7715")}}; }

StoredRow stored(const Fingerprint& fingerprint) {
  return {std::to_string(fingerprint.format_version),
          fingerprint.environment,
          fingerprint.binding.database_oid,
          fingerprint.binding.database_name,
          fingerprint.binding.system_identifier,
          checksum(fingerprint),
          "2026-01-01",
          "test"};
}

Observation observed(std::vector<StoredRow> rows, Binding current = sample().binding) {
  return {std::move(current), true, std::move(rows), "postgresql:///app"};
}

TEST(FingerprintRecord, TheChecksumCoversEveryField) {
  const std::string original = checksum(sample());
  EXPECT_EQ(original.size(), 64u);
  EXPECT_EQ(original, checksum(sample()));
  std::vector<Fingerprint> changed(6, sample());
  changed[0].environment = "prod";
  changed[1].binding.database_oid = "16385";
  changed[2].binding.database_name = "app2";
  changed[3].binding.system_identifier = "7716";
  changed[4].binding.system_identifier = std::nullopt;
  changed[5].format_version = 2;
  for (const Fingerprint& fingerprint : changed) EXPECT_NE(checksum(fingerprint), original);
}

// The encoding is a stored format: every fingerprint ever written is checked against it, so it
// may not drift. The expected values were computed independently (Python's hashlib).
TEST(FingerprintRecord, TheEncodingIsAStableFormat) {
  EXPECT_EQ(canonical_encoding(sample()),
            "pmc-fingerprint\nformat_version=1:1\nenvironment=3:dev\ndatabase_oid=5:16384\n"
            "database_name=3:app\nsystem_identifier=4:7715\n");
  EXPECT_EQ(checksum(sample()), "5edfac28cbe18978e45aaeb047571f8fd867d70bcb1a3b3aee0006bb231c7f8c");
  Fingerprint unreadable = sample();
  unreadable.binding.system_identifier = std::nullopt;
  EXPECT_EQ(checksum(unreadable),
            "ad74434e6e25f9c7d98eada18f6c0eade5cb2a064d6ef2ffbd6db50dcdd43f60");
  // Length prefixes: a name that imitates the next field does not encode like that field.
  Fingerprint imitation = unreadable;
  imitation.binding.database_name = "app\nsystem_identifier=4:7715";
  EXPECT_NE(canonical_encoding(imitation), canonical_encoding(sample()));
}

TEST(FingerprintRecord, AnEditedRowIsNotIntact) {
  EXPECT_TRUE(intact_fingerprint(stored(sample())).has_value());
  StoredRow edited = stored(sample());
  edited.environment = "prod";
  EXPECT_FALSE(intact_fingerprint(edited).has_value());
  StoredRow version = stored(sample());
  version.format_version = "2";
  EXPECT_FALSE(intact_fingerprint(version).has_value());
  StoredRow upper = stored(sample());
  upper.checksum = std::string(64, 'A');
  EXPECT_FALSE(intact_fingerprint(upper).has_value());
}

TEST(FingerprintRecord, EnvironmentNames) {
  for (const char* good : {"dev", "prod", "staging-2", "qa_eu"}) {
    EXPECT_TRUE(is_valid_environment_name(good)) << good;
  }
  for (const char* bad : {"", "Prod", "2dev", "dev!", " dev", "dév", "a b"}) {
    EXPECT_FALSE(is_valid_environment_name(bad)) << bad;
  }
  EXPECT_FALSE(is_valid_environment_name(std::string(64, 'a')));
}

TEST(FingerprintRecord, EvaluateChecksInItsDocumentedOrder) {
  EXPECT_EQ(evaluate(observed({stored(sample())}), "dev", false).state, State::Healthy);
  EXPECT_EQ(evaluate(observed({}), "dev", true).state, State::Missing);
  Observation no_table = observed({});
  no_table.table_exists = false;
  EXPECT_EQ(evaluate(no_table, "dev", true).state, State::Missing);
  EXPECT_EQ(evaluate(observed({stored(sample()), stored(sample())}), "dev", true).state,
            State::Corrupted);
  // A prod row edited by hand is corrupted, not prod: the edit is what is reported.
  StoredRow edited = stored(sample());
  edited.environment = "prod";
  EXPECT_EQ(evaluate(observed({edited}), "prod", false).state, State::Corrupted);
  Fingerprint prod = sample();
  prod.environment = "prod";
  Binding elsewhere = sample().binding;
  elsewhere.system_identifier = "9999";
  EXPECT_EQ(evaluate(observed({stored(prod)}, elsewhere), "prod", true).state,
            State::BoundElsewhere);
  EXPECT_EQ(evaluate(observed({stored(prod)}), "dev", false).state, State::ProductionOutsideCi);
  EXPECT_EQ(evaluate(observed({stored(prod)}), "prod", false).state, State::ProductionOutsideCi);
  EXPECT_EQ(evaluate(observed({stored(prod)}), "prod", true).state, State::Healthy);
  EXPECT_EQ(evaluate(observed({stored(prod)}), "dev", true).state, State::EnvironmentMismatch);
  // A binding that cannot be confirmed (no system identifier readable now) is not trusted.
  Binding unreadable = sample().binding;
  unreadable.system_identifier = std::nullopt;
  EXPECT_EQ(evaluate(observed({stored(sample())}, unreadable), "dev", true).state,
            State::BoundElsewhere);
}

TEST(FingerprintRecord, InitDecisions) {
  EXPECT_EQ(decide_first_write(observed({}), "dev").step, InitStep::Write);
  EXPECT_EQ(decide_first_write(observed({stored(sample())}), "dev").step, InitStep::NothingToDo);
  const InitDecision other = decide_first_write(observed({stored(sample())}), "prod");
  ASSERT_EQ(other.step, InitStep::Refuse);
  EXPECT_EQ(other.refusal->code(), kAlreadyPresentCode);
  EXPECT_EQ(decide_first_write(observed({}), "Prod").refusal->exit_code(), ExitCode::UsageOrInput);

  Binding moved = sample().binding;
  moved.database_oid = "20000";
  const InitDecision rebind = decide_rebind(observed({stored(sample())}, moved), "dev");
  ASSERT_EQ(rebind.step, InitStep::Write);
  EXPECT_EQ(rebind.result.binding, moved);
  EXPECT_EQ(rebind.result.environment, "dev");
  EXPECT_EQ(decide_rebind(observed({stored(sample())}), "dev").step, InitStep::NothingToDo);
  EXPECT_EQ(decide_rebind(observed({stored(sample())}, moved), "prod").refusal->code(),
            kRebindRefusedCode);
  EXPECT_EQ(decide_rebind(observed({}), "dev").refusal->code(), kRebindRefusedCode);
}

}  // namespace
}  // namespace pmc::fingerprint
