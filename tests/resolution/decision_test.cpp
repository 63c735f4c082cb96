// The decision rule alone: checked effects and findings in, applied / rolled back / a person out.
#include "pmc/resolution/decision.hpp"

#include <gtest/gtest.h>

namespace pmc::resolution {
namespace {

EffectCheck check(EffectState state, bool idempotent = false) {
  EffectCheck made;
  made.effect.object = ObjectName{ObjectKind::Table, "", "", "t"};
  made.effect.idempotent = idempotent;
  made.state = state;
  return made;
}

using S = EffectState;

TEST(Decision, EveryEffectDoneIsApplied) {
  EXPECT_EQ(decide({check(S::Done), check(S::Done, true)}, {}).outcome, Outcome::Applied);
}

TEST(Decision, NoEffectDoneIsRolledBack) {
  EXPECT_EQ(decide({check(S::NotDone), check(S::NotDone, true)}, {}).outcome, Outcome::RolledBack);
  // Done idempotent effects do not stand against it: running them again changes nothing.
  EXPECT_EQ(decide({check(S::NotDone), check(S::Done, true)}, {}).outcome, Outcome::RolledBack);
  EXPECT_EQ(decide({}, {}).outcome, Outcome::RolledBack);
}

TEST(Decision, PartlyDoneOrUnclearNeedsAPerson) {
  const Decision partial = decide({check(S::Done), check(S::NotDone)}, {});
  EXPECT_EQ(partial.outcome, Outcome::NeedsPerson);
  EXPECT_NE(partial.reason.find("1 of 2"), std::string::npos) << partial.reason;
  EXPECT_EQ(decide({check(S::Done), check(S::Unclear)}, {}).outcome, Outcome::NeedsPerson);
  EXPECT_EQ(decide({check(S::NotDone), check(S::Unclear, true)}, {}).outcome, Outcome::NeedsPerson);
}

TEST(Decision, AnythingTheCatalogCannotShowNeedsAPersonWhateverTheObjectsSay) {
  const Finding update{Concern::DataChange, "UPDATE of t", 1, 2};
  EXPECT_EQ(decide({check(S::Done)}, {update}).outcome, Outcome::NeedsPerson);
  EXPECT_EQ(decide({check(S::NotDone)}, {update}).outcome, Outcome::NeedsPerson);
  EXPECT_EQ(decide({}, {update}).outcome, Outcome::NeedsPerson);
}

}  // namespace
}  // namespace pmc::resolution
