// The net effect of a migration, statement by statement, and PostgreSQL's rules for the names it
// chooses itself (t_pkey, t_a_key, t_a_fkey, t_a_check, t_a_seq, t_a_idx).
#include <algorithm>

#include "extraction.hpp"

namespace pmc::resolution::detail {
namespace {

constexpr std::size_t kMaxIdentifierBytes = 63;  // NAMEDATALEN - 1

// pg_mbcliplen for UTF-8: never cut a character in half.
std::size_t clip_utf8(const std::string& text, std::size_t length) {
  while (length > 0 && length < text.size() &&
         (static_cast<unsigned char>(text[length]) & 0xC0U) == 0x80U) {
    --length;
  }
  return length;
}

bool is_relation(ObjectKind kind) {
  return kind == ObjectKind::Table || kind == ObjectKind::Index || kind == ObjectKind::Sequence ||
         kind == ObjectKind::View;
}

void merge(ColumnExpectation& into, const ColumnExpectation& change) {
  if (!change.type_names.empty()) {
    into.type_names = change.type_names;
    into.type_modifier = change.type_modifier;
    into.array_dimensions = change.array_dimensions;
    into.type_modifier_known = change.type_modifier_known;
  }
  if (change.not_null) into.not_null = change.not_null;
  if (change.sets_default) {
    into.sets_default = true;
    into.default_sql = change.default_sql;
  }
}

// A column whose type is the renamed enum type now shows the new name.
void rename_type_reference(ColumnExpectation& column, const ObjectName& from,
                           const ObjectName& to) {
  auto& names = column.type_names;
  if (names.empty() || names.back() != from.name) return;
  if (names.size() == 2 && !from.schema.empty() && names.front() != from.schema) return;
  names.back() = to.name;
}

void rekey(ObjectName& object, const ObjectName& from, const ObjectName& to) {
  if (from.kind == ObjectKind::Schema) {
    if (object.kind != ObjectKind::Schema && object.schema == from.name) object.schema = to.name;
  } else if (is_child_of(object, from)) {
    object.parent = to.name;
  }
}

}  // namespace

bool same_object(const ObjectName& a, const ObjectName& b) {
  if (a.kind != b.kind || a.schema != b.schema || a.name != b.name) return false;
  // An index is found by schema and name alone; DROP INDEX does not name the table.
  return a.kind == ObjectKind::Index || a.parent == b.parent;
}

bool is_child_of(const ObjectName& child, const ObjectName& parent) {
  switch (parent.kind) {
    case ObjectKind::Schema:
      return child.kind != ObjectKind::Schema && child.kind != ObjectKind::Extension &&
             child.schema == parent.name;
    case ObjectKind::Table:
    case ObjectKind::View:
      return child.schema == parent.schema && child.parent == parent.name &&
             (child.kind == ObjectKind::Column || child.kind == ObjectKind::Constraint ||
              child.kind == ObjectKind::Index);
    case ObjectKind::EnumType:
      return child.schema == parent.schema && child.parent == parent.name &&
             child.kind == ObjectKind::EnumValue;
    default:
      return false;
  }
}

std::string make_object_name(const std::string& name1, const std::string& name2,
                             const std::string& label) {
  std::size_t overhead = 0;
  std::size_t name1_bytes = name1.size();
  std::size_t name2_bytes = name2.size();
  if (!name2.empty()) ++overhead;  // the underscore before name2
  if (!label.empty()) overhead += label.size() + 1;
  const std::size_t available = kMaxIdentifierBytes - overhead;
  while (name1_bytes + name2_bytes > available) {
    if (name1_bytes > name2_bytes) {
      --name1_bytes;
    } else {
      --name2_bytes;
    }
  }
  std::string result = name1.substr(0, clip_utf8(name1, name1_bytes));
  if (!name2.empty()) result += "_" + name2.substr(0, clip_utf8(name2, name2_bytes));
  if (!label.empty()) result += "_" + label;
  return result;
}

std::string join_name_parts(const std::vector<std::string>& parts) {
  std::string joined;
  for (const std::string& part : parts) {
    if (!joined.empty()) joined += '_';
    joined += part.substr(0, clip_utf8(part, std::min(part.size(), kMaxIdentifierBytes)));
    if (joined.size() >= kMaxIdentifierBytes + 1) break;  // NAMEDATALEN: makeObjectName cuts it
  }
  return joined;
}

std::string EffectCollector::choose_relation_name(const std::string& schema,
                                                  const std::string& name1,
                                                  const std::string& name2,
                                                  const std::string& label) {
  std::string candidate = make_object_name(name1, name2, label);
  for (int pass = 1; relation_names_.contains({schema, candidate}); ++pass) {
    candidate = make_object_name(name1, name2, label + std::to_string(pass));
  }
  relation_names_.insert({schema, candidate});
  return candidate;
}

std::string EffectCollector::choose_constraint_name(const std::string& schema,
                                                    const std::string& name1,
                                                    const std::string& name2,
                                                    const std::string& label) {
  std::string candidate = make_object_name(name1, name2, label);
  for (int pass = 1; constraint_names_.contains({schema, candidate}); ++pass) {
    candidate = make_object_name(name1, name2, label + std::to_string(pass));
  }
  constraint_names_.insert({schema, candidate});
  return candidate;
}

void EffectCollector::remember_name(const ObjectName& object) {
  if (is_relation(object.kind)) relation_names_.insert({object.schema, object.name});
  if (object.kind == ObjectKind::Constraint) constraint_names_.insert({object.schema, object.name});
}

namespace {

// same_object() as a string: an index is found without its table.
std::string identity(const ObjectName& object) {
  std::string key = std::to_string(static_cast<int>(object.kind));
  for (const std::string* part : {&object.schema, &object.parent, &object.name}) {
    if (part == &object.parent && object.kind == ObjectKind::Index) continue;
    key += '\x1f';
    key += *part;
  }
  return key;
}

}  // namespace

Effect* EffectCollector::find(const ObjectName& object) {
  if (!index_valid_) {
    index_.clear();
    for (std::size_t i = result_.effects.size(); i-- > 0;) {
      index_[identity(result_.effects[i].object)] = i;  // the first one wins
    }
    index_valid_ = true;
  }
  const auto found = index_.find(identity(object));
  return found == index_.end() ? nullptr : &result_.effects[found->second];
}

void EffectCollector::push(Effect effect) {
  if (index_valid_) index_.try_emplace(identity(effect.object), result_.effects.size());
  result_.effects.push_back(std::move(effect));
}

void EffectCollector::erase(const ObjectName& object) {
  forget_index();
  std::erase_if(result_.effects,
                [&](const Effect& effect) { return same_object(effect.object, object); });
}

void EffectCollector::forget_children(const ObjectName& parent) {
  // What this migration made or changed inside a dropped object goes with it; a child dropped
  // explicitly before stays a drop (DROP SCHEMA without CASCADE needs its tables dropped first).
  forget_index();
  std::erase_if(result_.effects, [&](const Effect& effect) {
    return effect.action != Action::Drop && is_child_of(effect.object, parent);
  });
}

void EffectCollector::rekey_children(const ObjectName& from, const ObjectName& to) {
  forget_index();
  // `previous` names where an object was before the migration: renames now do not move it.
  for (Effect& effect : result_.effects) {
    rekey(effect.object, from, to);
    if (from.kind == ObjectKind::EnumType) rename_type_reference(effect.column, from, to);
  }
}

ObjectName EffectCollector::original(const ObjectName& current) const {
  ObjectName before = current;
  if (!renamed_containers_) return before;
  auto renamed_from = [&](ObjectKind kind, const std::string& schema,
                          const std::string& name) -> const ObjectName* {
    for (const Effect& effect : result_.effects) {
      if (effect.action == Action::Rename && effect.object.kind == kind &&
          effect.object.schema == schema && effect.object.name == name) {
        return &*effect.previous;
      }
    }
    return nullptr;
  };
  const bool in_table = current.kind == ObjectKind::Column ||
                        current.kind == ObjectKind::Constraint || current.kind == ObjectKind::Index;
  if (in_table || current.kind == ObjectKind::EnumValue) {
    for (const ObjectKind kind : in_table ? std::vector{ObjectKind::Table, ObjectKind::View}
                                          : std::vector{ObjectKind::EnumType}) {
      if (const ObjectName* parent = renamed_from(kind, current.schema, current.parent)) {
        before.schema = parent->schema;
        before.parent = parent->name;
        return before;
      }
    }
  }
  if (current.kind != ObjectKind::Schema && current.kind != ObjectKind::Extension) {
    if (const ObjectName* schema = renamed_from(ObjectKind::Schema, "", current.schema)) {
      before.schema = schema->name;
    }
  }
  return before;
}

void EffectCollector::create(Effect effect, const Place& place) {
  effect.statement = place.statement;
  effect.line = place.line;
  effect.idempotent = effect.idempotent || place.conditional;
  remember_name(effect.object);
  Effect* earlier = find(effect.object);
  if (earlier == nullptr) {
    push(std::move(effect));
  } else if (earlier->action == Action::Drop) {
    note(Concern::Indistinguishable,
         describe(effect.object) + " is dropped and made again in the same migration", place);
    *earlier = std::move(effect);
  } else {
    // Made (or renamed into place) already: a second IF NOT EXISTS create changes nothing.
    earlier->idempotent = earlier->idempotent && effect.idempotent;
  }
}

void EffectCollector::drop(const ObjectName& object, bool idempotent, const Place& place) {
  Effect effect;
  effect.action = Action::Drop;
  effect.object = object;
  effect.idempotent = idempotent || place.conditional;
  effect.statement = place.statement;
  effect.line = place.line;
  Effect* earlier = find(object);
  if (earlier != nullptr) {
    switch (earlier->action) {
      case Action::Create:
        forget_children(object);
        earlier = find(object);
        if (!earlier->idempotent) {
          // Made and dropped by this migration: no trace left to check.
          erase(object);
          return;
        }
        *earlier = std::move(effect);  // IF NOT EXISTS may have found it; gone now either way
        return;
      case Action::Rename: {
        // Renamed here, then dropped: what goes is the object under its old name.
        const ObjectName old = *earlier->previous;
        forget_children(object);
        erase(object);
        if (Effect* reused = find(old); reused != nullptr) {
          note(Concern::Indistinguishable,
               describe(old) + " is dropped and made again in the same migration", place);
          return;
        }
        effect.object = old;
        push(std::move(effect));
        return;
      }
      case Action::Alter:
        *earlier = std::move(effect);
        return;
      case Action::Drop:
        earlier->idempotent = earlier->idempotent && effect.idempotent;
        return;
    }
  }
  if (ObjectName before = original(object); !(before == object)) effect.previous = before;
  forget_children(object);
  push(std::move(effect));
}

void EffectCollector::alter_column(const ObjectName& column, const ColumnExpectation& change,
                                   bool idempotent, const Place& place) {
  if (change.empty()) return;
  if (Effect* earlier = find(column); earlier != nullptr && earlier->action != Action::Drop) {
    merge(earlier->column, change);
    return;
  }
  Effect effect;
  effect.action = Action::Alter;
  effect.object = column;
  effect.column = change;
  effect.idempotent = idempotent || place.conditional;
  effect.statement = place.statement;
  effect.line = place.line;
  if (ObjectName before = original(column); !(before == column)) effect.previous = before;
  push(std::move(effect));
}

void EffectCollector::rename(const ObjectName& from, const ObjectName& to, bool idempotent,
                             const Place& place) {
  Effect* earlier = find(from);
  if (earlier == nullptr && from.kind == ObjectKind::Index) {
    // A key constraint made here and its index share one name: renaming one renames both.
    for (const Effect& effect : result_.effects) {
      if (effect.object.kind == ObjectKind::Constraint && effect.action == Action::Create &&
          (effect.constraint_type == 'p' || effect.constraint_type == 'u' ||
           effect.constraint_type == 'x') &&
          effect.object.schema == from.schema && effect.object.name == from.name) {
        ObjectName constraint_to = effect.object;
        constraint_to.name = to.name;
        rename(effect.object, constraint_to, idempotent, place);
        return;
      }
    }
  }
  remember_name(to);
  rekey_children(from, to);
  if (Effect* reused = find(to); reused != nullptr && reused->action == Action::Drop) {
    note(Concern::Indistinguishable,
         describe(to) + " is dropped and another object renamed to its name in the same migration",
         place);
    erase(to);
    earlier = find(from);
  }
  if (earlier != nullptr) {
    ObjectName renamed = to;
    if (renamed.parent.empty())
      renamed.parent = earlier->object.parent;  // ALTER INDEX names no table
    switch (earlier->action) {
      case Action::Create:
        earlier->object = renamed;
        return;
      case Action::Rename:
        if (same_object(*earlier->previous, renamed)) {
          erase(from);
        } else {
          earlier->object = renamed;
        }
        return;
      case Action::Alter:
        earlier->action = Action::Rename;
        if (!earlier->previous) earlier->previous = original(earlier->object);
        earlier->object = renamed;
        return;
      case Action::Drop:
        return;  // PostgreSQL refuses to rename what is gone
    }
  }
  Effect effect;
  effect.action = Action::Rename;
  effect.object = to;
  effect.previous = original(from);
  effect.idempotent = idempotent || place.conditional;
  effect.statement = place.statement;
  effect.line = place.line;
  renamed_containers_ = renamed_containers_ || from.kind == ObjectKind::Table ||
                        from.kind == ObjectKind::View || from.kind == ObjectKind::EnumType ||
                        from.kind == ObjectKind::Schema;
  push(std::move(effect));
}

void EffectCollector::note(Concern concern, std::string what, const Place& place) {
  result_.findings.push_back(Finding{concern, std::move(what), place.statement, place.line});
}

MigrationEffects EffectCollector::take() { return std::move(result_); }

}  // namespace pmc::resolution::detail
