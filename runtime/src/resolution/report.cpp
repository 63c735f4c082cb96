// Text and JSON renderings of an assessment; the words say whether anything was marked.
#include "pmc/resolution/report.hpp"

namespace pmc::resolution {
namespace {

std::string outcome_key(Outcome outcome) {
  switch (outcome) {
    case Outcome::Applied:
      return "applied";
    case Outcome::RolledBack:
      return "rolled-back";
    case Outcome::NeedsPerson:
      return "needs-person";
  }
  return "unknown";
}

std::string headline(const FailedMigration& migration) {
  switch (migration.decision.outcome) {
    case Outcome::Applied:
      return migration.resolved ? "marked applied" : "resolvable: mark applied";
    case Outcome::RolledBack:
      return migration.resolved ? "marked rolled back" : "resolvable: mark rolled back";
    case Outcome::NeedsPerson:
      return "NEEDS A PERSON, left unchanged";
  }
  return "unknown";
}

std::string effect_words(const Effect& effect) {
  std::string words = action_name(effect.action) + " " + describe(effect.object);
  if (effect.previous) {
    words += effect.action == Action::Rename ? " (was " + effect.previous->name + ")"
                                             : " (" + describe(*effect.previous) + " before it)";
  }
  if (effect.idempotent) words += " [if not already so]";
  return words;
}

std::string state_key(EffectState state) {
  switch (state) {
    case EffectState::Done:
      return "done";
    case EffectState::NotDone:
      return "not-done";
    case EffectState::Unclear:
      return "unclear";
  }
  return "unknown";
}

}  // namespace

std::string assessment_text(const Assessment& assessment) {
  if (assessment.migrations.empty()) return "No failed migrations.\n";
  std::string text;
  for (const FailedMigration& migration : assessment.migrations) {
    text += migration.name + ": " + headline(migration) + " (" + migration.decision.reason + ")\n";
    if (migration.decision.outcome != Outcome::NeedsPerson) continue;
    for (const EffectCheck& check : migration.checks) {
      const char* mark = check.state == EffectState::Done      ? "  done      "
                         : check.state == EffectState::NotDone ? "  not done  "
                                                               : "  unclear   ";
      text += mark + effect_words(check.effect) + ", line " + std::to_string(check.effect.line) +
              ": " + check.observed + "\n";
    }
    for (const Finding& finding : migration.effects.findings) {
      text += "  cannot check  " + finding.what + " (" + concern_name(finding.concern) +
              "), line " + std::to_string(finding.line) + "\n";
    }
  }
  const std::size_t people = assessment.needing_person();
  text += people == 0
              ? "Nothing needs a person.\n"
              : std::to_string(people) +
                    (people == 1 ? " failed migration needs" : " failed migrations need") +
                    " a person: find out what ran, bring the database to the state before or after"
                    " the migration and run pmc-resolve-applied-migrations again, or mark it with"
                    " pmc-resolve-failed-migrations once you know.\n";
  return text;
}

nlohmann::json assessment_json(const Assessment& assessment) {
  nlohmann::json migrations = nlohmann::json::array();
  for (const FailedMigration& migration : assessment.migrations) {
    nlohmann::json effects = nlohmann::json::array();
    for (const EffectCheck& check : migration.checks) {
      nlohmann::json item = {{"action", action_name(check.effect.action)},
                             {"kind", kind_name(check.effect.object.kind)},
                             {"object", describe(check.effect.object)},
                             {"schema", check.effect.object.schema},
                             {"parent", check.effect.object.parent},
                             {"name", check.effect.object.name},
                             {"idempotent", check.effect.idempotent},
                             {"line", check.effect.line},
                             {"state", state_key(check.state)},
                             {"observed", check.observed}};
      if (check.effect.previous) item["before"] = describe(*check.effect.previous);
      effects.push_back(std::move(item));
    }
    nlohmann::json concerns = nlohmann::json::array();
    for (const Finding& finding : migration.effects.findings) {
      concerns.push_back({{"concern", concern_name(finding.concern)},
                          {"what", finding.what},
                          {"line", finding.line}});
    }
    nlohmann::json rows = nlohmann::json::array();
    for (const migrations::MigrationRow& row : migration.failed_rows) {
      rows.push_back(
          {{"id", row.id}, {"started_at", row.started_at}, {"logs", row.logs.value_or("")}});
    }
    migrations.push_back({{"name", migration.name},
                          {"outcome", outcome_key(migration.decision.outcome)},
                          {"reason", migration.decision.reason},
                          {"resolved", migration.resolved},
                          {"failed_rows", std::move(rows)},
                          {"effects", std::move(effects)},
                          {"concerns", std::move(concerns)}});
  }
  return {{"failed_migrations", std::move(migrations)},
          {"needs_person", assessment.needing_person()}};
}

void write_assessment(std::ostream& out, const Assessment& assessment, bool json) {
  if (json) {
    out << assessment_json(assessment).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else {
    out << assessment_text(assessment);
  }
}

}  // namespace pmc::resolution
