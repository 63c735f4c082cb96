// Internal to the extractor: the state shared by the statement handlers while one migration is
// read (where we are, whether effects here are conditional, the net effects so far).
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pmc/resolution/effects.hpp"

namespace pmc::resolution::detail {

using nlohmann::json;

// Where the statement being read comes from. `text` is what the parser saw (the script, or a
// query re-parsed from a DO block), so `location` fields index into it.
struct Place {
  std::size_t statement = 0;
  int line = 1;
  bool conditional = false;  // inside IF, CASE, a loop or an EXCEPTION-guarded block of a DO
  std::string
      default_schema;  // where unqualified names go (SET search_path, CREATE SCHEMA … CREATE)
  std::string_view text;
  std::string_view statement_text;  // this statement's own text within `text`
};

// Accumulates the net effect of a migration: an alter of an object made earlier folds into it, a
// rename re-keys what came before, a create and a drop of one name cancel out, and a drop followed
// by a create of one name is reported as indistinguishable.
class EffectCollector {
 public:
  void create(Effect effect, const Place& place);
  void drop(const ObjectName& object, bool idempotent, const Place& place);
  void alter_column(const ObjectName& column, const ColumnExpectation& change, bool idempotent,
                    const Place& place);
  void rename(const ObjectName& from, const ObjectName& to, bool idempotent, const Place& place);
  void note(Concern concern, std::string what, const Place& place);

  // SET search_path: the schema unqualified names of later statements go to ("" for the default).
  void set_search_schema(std::string schema) { search_schema_ = std::move(schema); }
  const std::string& search_schema() const { return search_schema_; }

  // PostgreSQL's choice of a free name among those this migration made (ChooseRelationName /
  // ChooseConstraintName); names that already existed in the database are not known here.
  std::string choose_relation_name(const std::string& schema, const std::string& name1,
                                   const std::string& name2, const std::string& label);
  std::string choose_constraint_name(const std::string& schema, const std::string& name1,
                                     const std::string& name2, const std::string& label);

  MigrationEffects take();

 private:
  Effect* find(const ObjectName& object);
  void push(Effect effect);
  void erase(const ObjectName& object);
  // Where an object named by its current name was before the migration (its table, enum type or
  // schema may have been renamed by an earlier statement).
  ObjectName original(const ObjectName& current) const;
  void remember_name(const ObjectName& object);
  void forget_children(const ObjectName& parent);
  void rekey_children(const ObjectName& from, const ObjectName& to);
  void forget_index() { index_valid_ = false; }
  MigrationEffects result_;
  // Where each object's effect is in result_.effects, so that a migration of thousands of
  // objects is read in linear time; rebuilt after renames and removals (which are rare).
  std::unordered_map<std::string, std::size_t> index_;
  bool index_valid_ = true;
  bool renamed_containers_ = false;  // a table, view, enum type or schema was renamed
  std::string search_schema_;
  std::set<std::pair<std::string, std::string>> relation_names_, constraint_names_;
};

bool same_object(const ObjectName& a, const ObjectName& b);
bool is_child_of(const ObjectName& child, const ObjectName& parent);

// PostgreSQL's makeObjectName: name1_name2_label cut to 63 bytes, shortening the longer part.
std::string make_object_name(const std::string& name1, const std::string& name2,
                             const std::string& label);
// ChooseIndexNameAddition / ChooseForeignKeyConstraintNameAddition: names joined by "_".
std::string join_name_parts(const std::vector<std::string>& parts);
// ChooseIndexColumnNames: each index element's name (column, FigureColname of an expression, or
// "expr"), made unique by appending 1, 2, …
std::vector<std::string> index_column_names(const json& index_elements);

// Statement handlers.
void read_statement(const json& node, const Place& place, EffectCollector& out);
void read_create_table(const json& create, const Place& place, EffectCollector& out);
void read_alter_table(const json& alter, const Place& place, EffectCollector& out);
void read_do_block(const json& do_statement, const Place& place, EffectCollector& out);
// Reports the data changes of a statement PostgreSQL executes (not of DDL that only stores
// expressions): DML anywhere in it (also in CTEs), CALL, and calls of functions that may write.
void report_data_changes(const json& node, const Place& place, EffectCollector& out);
// Reports the calls in an expression PL/pgSQL evaluates (IF conditions, assignments, PERFORM).
void report_function_calls(const json& node, const Place& place, EffectCollector& out);

// Helpers over libpg_query's JSON.
// node[key] without a copy; an empty object when the node has no such member (libpg_query omits
// empty lists and false flags).
const json& member(const json& node, std::string_view key);
std::string string_value(const json& node);  // {"String":{"sval":…}} → …
std::vector<std::string> string_list(const json& items);
ObjectName relation_name(const json& range_var, ObjectKind kind, const Place& place);
ObjectName qualified_name(const std::vector<std::string>& parts, ObjectKind kind,
                          const Place& place);
ColumnExpectation column_type(const json& type_name, std::string_view text);
// A default expression in a form that compares equal to the catalog's pg_get_expr() of it.
std::string normalized_expression(const json& expression, std::string_view text);
// The distinct column names an expression refers to (for a CHECK constraint's name).
std::set<std::string> referenced_columns(const json& expression);
// The string of an A_Const, or nullopt when the node is not a string constant.
std::optional<std::string> string_constant(const json& node);

}  // namespace pmc::resolution::detail
