// The extractor checked against the database itself: every fixture migration is applied to a
// scratch database, the catalog is diffed before and after (catalog_snapshot.cpp, a query of the
// test's own), and the extracted object list must equal the diff. pmc's catalog check must also
// call every effect "not done" before the migration and "done" after it.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "catalog_snapshot.hpp"
#include "pmc/db.hpp"
#include "pmc/resolution/catalog_check.hpp"
#include "pmc/resolution/extract.hpp"
#include "resolution_support.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::test {
namespace {

using resolution::Action;
using resolution::Effect;
using resolution::ObjectKind;
using resolution::ObjectName;

// The scratch databases' current_schema(): where unqualified names land.
constexpr char kCurrentSchema[] = "public";

std::string qualified(const ObjectName& object) {
  const std::string schema = object.schema.empty() ? kCurrentSchema : object.schema;
  switch (object.kind) {
    case ObjectKind::Schema:
    case ObjectKind::Extension:
      return object.name;
    case ObjectKind::Column:
    case ObjectKind::Constraint:
    case ObjectKind::EnumValue:
      return schema + "." + object.parent + "." + object.name;
    default:
      return schema + "." + object.name;
  }
}

std::string key(const ObjectName& object) {
  return resolution::kind_name(object.kind) + " " + qualified(object);
}

// The extracted effects as diff lines, without idempotent ones that had nothing to do.
std::set<std::string> extracted_lines(const resolution::MigrationEffects& effects,
                                      const std::set<std::string>& existed_before) {
  std::set<std::string> lines;
  for (const Effect& effect : effects.effects) {
    const ObjectName before = effect.previous.value_or(effect.object);
    switch (effect.action) {
      case Action::Create:
        if (effect.idempotent && existed_before.contains(key(effect.object))) break;
        lines.insert("create " + key(effect.object));
        break;
      case Action::Drop:
        if (effect.idempotent && !existed_before.contains(key(before))) break;
        lines.insert("drop " + key(before));
        break;
      case Action::Rename:
        lines.insert("rename " + key(before) + " -> " + qualified(effect.object));
        if (!effect.column.empty()) lines.insert("alter " + key(effect.object));
        break;
      case Action::Alter:
        lines.insert("alter " + key(effect.object));
        break;
    }
  }
  return lines;
}

db::ReadOnlyConnection connect(const std::string& url) {
  db::ConnectOptions options;
  options.url = url;
  options.application_name = "resolution-diff-test";
  options.expected_environment = "dev";
  return db::connect_read_only(options);
}

std::vector<resolution::EffectCheck> checked(db::ReadOnlyConnection& connection,
                                             const resolution::MigrationEffects& effects) {
  return resolution::check_effects(connection, {effects}).front();
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += "\n  " + line;
  return text;
}

// Applies each migration of `dir` in order and compares extractor, catalog check and diff.
void compare_with_catalog(const std::filesystem::path& dir) {
  const std::string url = ThrowawayCluster::shared().fresh_database("diff");
  fingerprint(url);
  db::ReadOnlyConnection connection = connect(url);
  const std::vector<FixtureMigration> migrations = fixture_migrations(dir);
  ASSERT_FALSE(migrations.empty()) << dir;
  for (const FixtureMigration& migration : migrations) {
    SCOPED_TRACE(migration.name);
    const resolution::MigrationEffects effects = resolution::extract_effects(migration.script);
    if (migration.name.ends_with("_data_migration")) {
      ASSERT_EQ(effects.findings.size(), 1U);
      EXPECT_EQ(effects.findings[0].concern, resolution::Concern::DataChange);
    } else {
      EXPECT_TRUE(effects.findings.empty()) << effects.findings.front().what;
    }

    const std::vector<CatalogObject> before = catalog_snapshot(url);
    for (const resolution::EffectCheck& check : checked(connection, effects)) {
      const std::string what = resolution::action_name(check.effect.action) + " " +
                               resolution::describe(check.effect.object) + ": " + check.observed;
      if (check.effect.idempotent) {
        EXPECT_NE(resolution::state_name(check.state), "unclear") << "before: " << what;
      } else {
        EXPECT_EQ(resolution::state_name(check.state), "not done") << "before: " << what;
      }
    }

    run_ok(url, migration.script);
    const std::vector<CatalogObject> after = catalog_snapshot(url);
    for (const resolution::EffectCheck& check : checked(connection, effects)) {
      EXPECT_EQ(resolution::state_name(check.state), "done")
          << "after: " << resolution::action_name(check.effect.action) << " "
          << resolution::describe(check.effect.object) << ": " << check.observed;
    }

    std::set<std::string> existed_before;
    for (const CatalogObject& object : before)
      existed_before.insert(object.kind + " " + object.qualified());
    const std::set<std::string> extracted = extracted_lines(effects, existed_before);
    const std::vector<CatalogChange> changes = catalog_diff(before, after);

    // Everything the extractor says happened, happened.
    std::set<std::string> diff_lines;
    for (const CatalogChange& change : changes) diff_lines.insert(change.line);
    std::vector<std::string> claimed_but_not_in_catalog;
    for (const std::string& line : extracted) {
      if (!diff_lines.contains(line)) claimed_but_not_in_catalog.push_back(line);
    }
    // Everything that happened, the extractor says, or it went with an object it says was dropped.
    std::vector<const CatalogObject*> dropped;
    for (const CatalogChange& change : changes) {
      if (change.action == "drop" && extracted.contains(change.line))
        dropped.push_back(change.before);
    }
    std::vector<std::string> in_catalog_but_not_extracted;
    for (const CatalogChange& change : changes) {
      if (extracted.contains(change.line)) continue;
      if (change.action == "drop" && dropped_with(*change.before, dropped, before)) continue;
      in_catalog_but_not_extracted.push_back(change.line);
    }
    EXPECT_TRUE(claimed_but_not_in_catalog.empty())
        << "extracted but not in the catalog diff:" << joined(claimed_but_not_in_catalog);
    EXPECT_TRUE(in_catalog_but_not_extracted.empty())
        << "in the catalog diff but not extracted:" << joined(in_catalog_but_not_extracted);
  }
}

TEST(ExtractorAgainstTheCatalog, EveryResolutionFixtureMigration) {
  compare_with_catalog(resolution_fixtures());
}

TEST(ExtractorAgainstTheCatalog, TheReferenceAppsMigrationHistory) {
  compare_with_catalog(reference_app_migrations());
}

}  // namespace
}  // namespace pmc::test
