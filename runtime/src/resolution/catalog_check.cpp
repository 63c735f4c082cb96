// Each effect against what the catalog shows: present, missing, or neither (differs). Every
// object of every migration is looked up in one query (catalog_query.cpp).
#include "pmc/resolution/catalog_check.hpp"

#include <map>
#include <set>

#include "catalog_query.hpp"
#include "pmc/resolution/extract.hpp"

namespace pmc::resolution {
namespace {

using detail::Observation;
using detail::Probe;

std::string relkind_words(const std::string& relkind) {
  if (relkind == "r" || relkind == "p") return "a table";
  if (relkind == "v") return "a view";
  if (relkind == "m") return "a materialized view";
  if (relkind == "S") return "a sequence";
  if (relkind == "f") return "a foreign table";
  return "another kind of relation";
}

std::string contype_words(const std::string& contype) {
  if (contype == "p") return "a primary key";
  if (contype == "u") return "a unique constraint";
  if (contype == "f") return "a foreign key";
  if (contype == "c") return "a check constraint";
  if (contype == "x") return "an exclusion constraint";
  return "another kind of constraint";
}

// Whether what was found is the kind of object the effect names ("" when it is).
std::string kind_mismatch(const Effect& effect, const ObjectName& object, const Observation& seen) {
  switch (object.kind) {
    case ObjectKind::Table:
      return seen.detail == "r" || seen.detail == "p" ? "" : "it is " + relkind_words(seen.detail);
    case ObjectKind::View:
      return seen.detail == "v" ? "" : "it is " + relkind_words(seen.detail);
    case ObjectKind::Sequence:
      return seen.detail == "S" ? "" : "it is " + relkind_words(seen.detail);
    case ObjectKind::EnumType:
      return seen.detail == "e" ? "" : "it is a type but not an enum";
    case ObjectKind::Index:
      return object.parent.empty() || seen.detail == object.parent
                 ? ""
                 : "it is on table " + seen.detail;
    case ObjectKind::Constraint:
      return effect.constraint_type == 0 || seen.detail == std::string(1, effect.constraint_type)
                 ? ""
                 : "it is " + contype_words(seen.detail);
    default:
      return "";
  }
}

std::string column_text(const Observation& seen) {
  std::string text = seen.type + (seen.not_null ? " NOT NULL" : " NULL");
  if (seen.default_expression) text += " DEFAULT " + *seen.default_expression;
  return text;
}

// How a column compares with what the SQL states: the attributes that match and those that don't.
struct ColumnComparison {
  int matching = 0;
  std::vector<std::string> differences;
};

// pg_get_expr() texts repeat (0, CURRENT_TIMESTAMP, 'ACTIVE'::"Status"): each is parsed once.
class Defaults {
 public:
  const std::optional<std::string>& normalized(const std::string& expression) {
    auto found = cache_.find(expression);
    if (found == cache_.end())
      found = cache_.emplace(expression, normalized_default(expression)).first;
    return found->second;
  }

 private:
  std::map<std::string, std::optional<std::string>> cache_;
};

ColumnComparison compare_column(const ColumnExpectation& expected, const Observation& seen,
                                Defaults& defaults) {
  ColumnComparison comparison;
  if (!expected.type_names.empty()) {
    const bool same = seen.type_matches && (!expected.type_modifier_known ||
                                            seen.type_modifier == expected.type_modifier);
    if (same) {
      ++comparison.matching;
    } else {
      comparison.differences.push_back(
          "type " + seen.type + ", expected " +
          (seen.expected_type.empty() ? "a type the database does not know" : seen.expected_type));
    }
  }
  if (expected.not_null) {
    if (seen.not_null == *expected.not_null) {
      ++comparison.matching;
    } else {
      comparison.differences.push_back(seen.not_null ? "NOT NULL, expected nullable"
                                                     : "nullable, expected NOT NULL");
    }
  }
  if (expected.sets_default) {
    const std::optional<std::string> actual =
        seen.default_expression ? defaults.normalized(*seen.default_expression) : std::nullopt;
    const bool same =
        seen.default_expression ? actual && actual == expected.default_sql : !expected.default_sql;
    if (same) {
      ++comparison.matching;
    } else if (seen.default_expression) {
      comparison.differences.push_back("DEFAULT " + *seen.default_expression + ", expected " +
                                       (expected.default_sql ? "another default" : "no default"));
    } else {
      comparison.differences.push_back("no default, expected one");
    }
  }
  return comparison;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : "; ") + part;
  return text;
}

EffectCheck evaluate(const Effect& effect, const Observation& seen, const Observation* old_seen,
                     Defaults& defaults) {
  EffectCheck check{effect, EffectState::NotDone, {}};
  const ObjectName& object = effect.object;
  const bool is_column = object.kind == ObjectKind::Column;
  switch (effect.action) {
    case Action::Create: {
      if (!seen.found) {
        check.observed = "missing";
        return check;
      }
      const std::string mismatch = kind_mismatch(effect, object, seen);
      if (!mismatch.empty()) {
        check.state = EffectState::Unclear;
        check.observed = "exists, but " + mismatch;
        return check;
      }
      check.state = EffectState::Done;
      check.observed = is_column ? "present: " + column_text(seen) : "present";
      if (is_column && !effect.idempotent) {
        const ColumnComparison comparison = compare_column(effect.column, seen, defaults);
        if (!comparison.differences.empty()) {
          check.state = EffectState::Unclear;
          check.observed = "exists, but differs: " + joined(comparison.differences);
        }
      }
      return check;
    }
    case Action::Drop:
      check.state = seen.found ? EffectState::NotDone : EffectState::Done;
      check.observed = seen.found ? "still exists" : "gone";
      return check;
    case Action::Alter: {
      if (!seen.found && old_seen != nullptr && old_seen->found) {
        // Still under the name its table had before the migration: it must be unaltered too.
        const ColumnComparison before = compare_column(effect.column, *old_seen, defaults);
        check.state = before.matching == 0 ? EffectState::NotDone : EffectState::Unclear;
        check.observed = "still in " + effect.previous->parent +
                         (before.matching == 0 ? ", not altered" : ", but partly altered");
        return check;
      }
      if (!seen.found) {
        check.state = EffectState::Unclear;
        check.observed = "the column does not exist";
        return check;
      }
      const ColumnComparison comparison = compare_column(effect.column, seen, defaults);
      if (comparison.differences.empty()) {
        check.state = EffectState::Done;
        check.observed = "as altered: " + column_text(seen);
      } else {
        check.state = comparison.matching == 0 ? EffectState::NotDone : EffectState::Unclear;
        check.observed = (comparison.matching == 0 ? "not altered: " : "partly altered: ") +
                         joined(comparison.differences);
      }
      return check;
    }
    case Action::Rename: {
      const bool old_found = old_seen != nullptr && old_seen->found;
      if (seen.found && old_found) {
        check.state = EffectState::Unclear;
        check.observed = "both the old and the new name exist";
      } else if (!seen.found && !old_found) {
        check.state = EffectState::Unclear;
        check.observed = "neither the old nor the new name exists";
      } else if (old_found) {
        check.observed = "not renamed: the old name exists";
      } else {
        check.state = EffectState::Done;
        check.observed = "renamed";
        const std::string mismatch = kind_mismatch(effect, object, seen);
        const ColumnComparison comparison =
            is_column ? compare_column(effect.column, seen, defaults) : ColumnComparison{};
        if (!mismatch.empty() || !comparison.differences.empty()) {
          check.state = EffectState::Unclear;
          check.observed =
              "renamed, but " + (mismatch.empty() ? joined(comparison.differences) : mismatch);
        }
      }
      return check;
    }
  }
  return check;
}

// Tables and enum types this migration makes: their unqualified children are in current_schema().
std::set<std::pair<std::string, std::string>> made_parents(const MigrationEffects& migration) {
  std::set<std::pair<std::string, std::string>> made;
  for (const Effect& effect : migration.effects) {
    if (effect.action == Action::Create &&
        (effect.object.kind == ObjectKind::Table || effect.object.kind == ObjectKind::EnumType)) {
      made.insert({effect.object.schema, effect.object.name});
    }
  }
  return made;
}

class ProbeList {
 public:
  std::size_t add(Probe probe) {
    const std::string key = std::to_string(static_cast<int>(probe.object.kind)) + '\x1f' +
                            probe.object.schema + '\x1f' + probe.object.parent + '\x1f' +
                            probe.object.name + '\x1f' + (probe.made_here ? "1" : "0") + '\x1f' +
                            probe.type_name.value_or("") + '\x1f' +
                            std::to_string(probe.type_modifier.value_or(-2)) + '\x1f' +
                            (probe.wants_default ? "1" : "0");
    const auto [found, inserted] = index_.try_emplace(key, probes_.size());
    if (inserted) probes_.push_back(std::move(probe));
    return found->second;
  }
  const std::vector<Probe>& probes() const { return probes_; }

 private:
  std::vector<Probe> probes_;
  std::map<std::string, std::size_t> index_;
};

Probe probe_for(const ObjectName& object, bool made_here, const ColumnExpectation* column) {
  Probe probe{object, made_here, std::nullopt, std::nullopt, false};
  if (column != nullptr && object.kind == ObjectKind::Column) {
    probe.type_name = detail::regtype_text(*column);
    if (probe.type_name && column->type_modifier_known) probe.type_modifier = column->type_modifier;
    probe.wants_default = column->sets_default;
  }
  return probe;
}

template <class Connection>
std::vector<std::vector<EffectCheck>> check(Connection& connection,
                                            const std::vector<MigrationEffects>& migrations) {
  ProbeList list;
  struct Wanted {
    std::size_t probe;
    std::optional<std::size_t> old_probe;
  };
  std::vector<std::vector<Wanted>> wanted(migrations.size());
  for (std::size_t m = 0; m < migrations.size(); ++m) {
    const auto made = made_parents(migrations[m]);
    for (const Effect& effect : migrations[m].effects) {
      const ObjectName& object = effect.object;
      const bool child = object.kind == ObjectKind::Column ||
                         object.kind == ObjectKind::Constraint ||
                         object.kind == ObjectKind::Index || object.kind == ObjectKind::EnumValue;
      const bool made_here = effect.action == Action::Create &&
                             (child ? made.contains({object.schema, object.parent}) : true);
      // A drop is checked where the object was before the migration.
      const ObjectName& probed =
          effect.action == Action::Drop && effect.previous ? *effect.previous : object;
      Wanted entry{list.add(probe_for(probed, made_here, &effect.column)), std::nullopt};
      if ((effect.action == Action::Rename || effect.action == Action::Alter) && effect.previous) {
        entry.old_probe = list.add(probe_for(
            *effect.previous, false, effect.action == Action::Alter ? &effect.column : nullptr));
      }
      wanted[m].push_back(entry);
    }
  }
  const std::vector<Observation> seen = detail::observe(connection, list.probes());
  std::vector<std::vector<EffectCheck>> checks(migrations.size());
  Defaults defaults;
  for (std::size_t m = 0; m < migrations.size(); ++m) {
    for (std::size_t e = 0; e < migrations[m].effects.size(); ++e) {
      const Wanted& entry = wanted[m][e];
      checks[m].push_back(evaluate(migrations[m].effects[e], seen[entry.probe],
                                   entry.old_probe ? &seen[*entry.old_probe] : nullptr, defaults));
    }
  }
  return checks;
}

}  // namespace

std::string state_name(EffectState state) {
  switch (state) {
    case EffectState::Done:
      return "done";
    case EffectState::NotDone:
      return "not done";
    case EffectState::Unclear:
      return "unclear";
  }
  return "unknown";
}

std::vector<std::vector<EffectCheck>> check_effects(
    db::ReadOnlyConnection& connection, const std::vector<MigrationEffects>& migrations) {
  return check(connection, migrations);
}

std::vector<std::vector<EffectCheck>> check_effects(
    db::WritableConnection& connection, const std::vector<MigrationEffects>& migrations) {
  return check(connection, migrations);
}

}  // namespace pmc::resolution
