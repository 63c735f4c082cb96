// What a migration does to the catalog, as the extractor reads it from the SQL: one Effect per
// object created, altered, renamed or dropped, plus the statements whose effect no catalog shows.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace pmc::resolution {

enum class ObjectKind {
  Schema,
  Table,
  Column,
  EnumType,
  EnumValue,
  Index,
  Constraint,
  Sequence,
  View,
  Extension,
};

// A catalog object by name, resolved as PostgreSQL resolves it. `schema` is empty when the SQL
// left it unqualified: the check resolves it to current_schema() (or, for an object the migration
// did not create, where the search path finds it). `parent` is the table of a column, constraint
// or index and the enum type of an enum value; an index is identified by schema and name alone
// (DROP INDEX does not name the table), its parent is checked when known.
struct ObjectName {
  ObjectKind kind = ObjectKind::Table;
  std::string schema;
  std::string parent;
  std::string name;

  friend bool operator==(const ObjectName&, const ObjectName&) = default;
};

// "table public.users", "column users.email", "index users_email_key" … for messages, with names
// quoted where PostgreSQL would need quotes.
std::string describe(const ObjectName& object);
std::string kind_name(ObjectKind kind);
// A name in double quotes, inner quotes doubled: valid SQL whatever the name holds.
std::string quoted_identifier(const std::string& name);

// A column's state after the migration, where the SQL states it. The type is the parser's name
// ({"pg_catalog","int4"}, {"Role"}) with the typmod PostgreSQL stores for it.
struct ColumnExpectation {
  std::vector<std::string> type_names;  // empty: the SQL does not set the type
  int array_dimensions = 0;
  int type_modifier = -1;
  bool type_modifier_known =
      true;  // false: a typmod pmc cannot compute; the type alone is compared
  std::optional<bool> not_null;
  bool sets_default = false;               // the SQL decides the default (or its absence)
  std::optional<std::string> default_sql;  // normalized parse tree; nullopt: no default

  bool empty() const { return type_names.empty() && !not_null && !sets_default; }
};

enum class Action { Create, Alter, Rename, Drop };
std::string action_name(Action action);

struct Effect {
  Action action = Action::Create;
  ObjectName object;  // the name after the migration (a drop: the name when it was dropped)
  // Where the object was before the migration, when that differs: a rename's old name, or an
  // altered or dropped object whose table, enum type or schema this migration renamed.
  std::optional<ObjectName> previous;
  ColumnExpectation column;  // what a created, altered or renamed column must look like
  char constraint_type = 0;  // created constraints: 'p' 'u' 'f' 'c' 'x' as in pg_constraint
  // The migration may leave the object as it found it and still succeed (IF [NOT] EXISTS, CREATE
  // OR REPLACE, inside IF / a loop / a DO … EXCEPTION block): present counts, absent is no sign.
  bool idempotent = false;
  std::size_t statement = 0;  // 0-based index of the top-level statement
  int line = 1;               // the line where that statement (or the PL/pgSQL one) starts
};

// Why the catalog cannot settle a migration by itself.
enum class Concern {
  DataChange,         // INSERT/UPDATE/DELETE/MERGE/COPY/TRUNCATE, CALL, state-changing functions
  DynamicSql,         // EXECUTE of a string built at run time
  Indistinguishable,  // one name dropped and made again in one migration
  Unsupported,        // a statement whose catalog effect pmc does not model
};
std::string concern_name(Concern concern);

struct Finding {
  Concern concern = Concern::Unsupported;
  std::string what;  // "UPDATE of table users", "EXECUTE of a string built at run time" …
  std::size_t statement = 0;
  int line = 1;
};

struct MigrationEffects {
  std::vector<Effect> effects;    // the net effect, in first-seen order
  std::vector<Finding> findings;  // what the catalog cannot show
};

}  // namespace pmc::resolution
