// CREATE TABLE and ALTER TABLE: the table, its columns with their stated type, nullability and
// default, and every constraint under the name PostgreSQL gives it. A primary key, unique or
// exclusion constraint and its index are one object with one name: the constraint is checked.
#include <map>

#include "extraction.hpp"

namespace pmc::resolution::detail {
namespace {

// serial is not a type: the column gets the integer type, NOT NULL and a sequence.
const std::map<std::string, std::string>& serial_types() {
  static const std::map<std::string, std::string> types = {
      {"smallserial", "int2"}, {"serial2", "int2"},   {"serial", "int4"},
      {"serial4", "int4"},     {"bigserial", "int8"}, {"serial8", "int8"}};
  return types;
}

ObjectName child_of(const ObjectName& table, ObjectKind kind, const std::string& name) {
  return ObjectName{kind, table.schema, table.name, name};
}

void create_constraint(EffectCollector& out, const ObjectName& table, const std::string& name,
                       char type, bool idempotent, const Place& place) {
  Effect effect;
  effect.action = Action::Create;
  effect.object = child_of(table, ObjectKind::Constraint, name);
  effect.constraint_type = type;
  effect.idempotent = idempotent;
  out.create(std::move(effect), place);
}

// Names as IndexElem-like nodes, for index_column_names.
json name_elements(const std::vector<std::string>& names) {
  json elements = json::array();
  for (const std::string& name : names) elements.push_back(json{{"name", name}});
  return elements;
}

// One constraint of a table; `column` is set for a constraint written on a column. Returns the
// columns of a primary key (PostgreSQL makes them NOT NULL).
std::vector<std::string> read_constraint(const json& constraint, const ObjectName& table,
                                         const std::string* column, bool idempotent,
                                         const Place& place, EffectCollector& out) {
  const std::string type = constraint.value("contype", "");
  const std::string given = constraint.value("conname", "");
  auto names = [&](const char* field) {
    return column != nullptr ? std::vector<std::string>{*column}
                             : string_list(member(constraint, field));
  };
  const bool key =
      type == "CONSTR_PRIMARY" || type == "CONSTR_UNIQUE" || type == "CONSTR_EXCLUSION";
  if (key && constraint.contains("indexname")) {
    out.note(Concern::Unsupported, "a constraint USING INDEX on " + describe(table), place);
    return {};
  }
  if (type == "CONSTR_PRIMARY") {
    const std::string name =
        given.empty() ? out.choose_relation_name(table.schema, table.name, "", "pkey") : given;
    create_constraint(out, table, name, 'p', idempotent, place);
    return names("keys");
  }
  if (type == "CONSTR_UNIQUE") {
    std::vector<std::string> columns = names("keys");
    for (const std::string& included : string_list(member(constraint, "including"))) {
      columns.push_back(included);
    }
    const std::string name =
        given.empty() ? out.choose_relation_name(
                            table.schema, table.name,
                            join_name_parts(index_column_names(name_elements(columns))), "key")
                      : given;
    create_constraint(out, table, name, 'u', idempotent, place);
  } else if (type == "CONSTR_EXCLUSION") {
    json elements = json::array();
    for (const json& pair : member(constraint, "exclusions")) {
      elements.push_back(pair.at("List").at("items").at(0));
    }
    const std::string name =
        given.empty()
            ? out.choose_relation_name(table.schema, table.name,
                                       join_name_parts(index_column_names(elements)), "excl")
            : given;
    create_constraint(out, table, name, 'x', idempotent, place);
  } else if (type == "CONSTR_FOREIGN") {
    const std::string name =
        given.empty() ? out.choose_constraint_name(table.schema, table.name,
                                                   join_name_parts(names("fk_attrs")), "fkey")
                      : given;
    create_constraint(out, table, name, 'f', idempotent, place);
  } else if (type == "CONSTR_CHECK") {
    // PostgreSQL names an unnamed check after its one column, or after the table alone.
    std::string name = given;
    if (name.empty()) {
      const auto columns = referenced_columns(member(constraint, "raw_expr"));
      name = out.choose_constraint_name(table.schema, table.name,
                                        columns.size() == 1 ? *columns.begin() : "", "check");
    }
    create_constraint(out, table, name, 'c', idempotent, place);
  }
  return {};
}

void read_column(const json& definition, const ObjectName& table, bool idempotent,
                 const Place& place, EffectCollector& out) {
  const std::string column_name = definition.value("colname", "");
  ColumnExpectation expectation = column_type(member(definition, "typeName"), place.text);
  expectation.not_null = false;
  expectation.sets_default = true;  // a new column has no default unless it says so
  std::vector<std::string> sequences;
  if (expectation.type_names.size() == 1 && serial_types().contains(expectation.type_names[0])) {
    expectation.type_names = {"pg_catalog", serial_types().at(expectation.type_names[0])};
    expectation.not_null = true;
    expectation.sets_default = false;  // nextval('…'::regclass): the sequence is checked instead
    sequences.push_back(out.choose_relation_name(table.schema, table.name, column_name, "seq"));
  }
  std::vector<const json*> table_constraints;
  for (const json& item : member(definition, "constraints")) {
    const json& constraint = item.at("Constraint");
    const std::string type = constraint.value("contype", "");
    if (type == "CONSTR_NOTNULL" || type == "CONSTR_PRIMARY") {
      expectation.not_null = true;
    } else if (type == "CONSTR_NULL") {
      expectation.not_null = false;
    } else if (type == "CONSTR_DEFAULT") {
      expectation.default_sql = normalized_expression(constraint.at("raw_expr"), place.text);
    } else if (type == "CONSTR_IDENTITY") {
      expectation.not_null = true;
      sequences.push_back(out.choose_relation_name(table.schema, table.name, column_name, "seq"));
    } else if (type == "CONSTR_GENERATED") {
      expectation.sets_default = false;  // the generation expression lives where defaults do
    }
    if (type == "CONSTR_PRIMARY" || type == "CONSTR_UNIQUE" || type == "CONSTR_FOREIGN" ||
        type == "CONSTR_CHECK" || type == "CONSTR_EXCLUSION") {
      table_constraints.push_back(&constraint);
    }
  }
  Effect effect;
  effect.action = Action::Create;
  effect.object = child_of(table, ObjectKind::Column, column_name);
  effect.column = std::move(expectation);
  effect.idempotent = idempotent;
  out.create(std::move(effect), place);
  for (const std::string& sequence : sequences) {
    Effect made;
    made.action = Action::Create;
    made.object = ObjectName{ObjectKind::Sequence, table.schema, "", sequence};
    made.idempotent = idempotent;
    out.create(std::move(made), place);
  }
  for (const json* constraint : table_constraints) {
    read_constraint(*constraint, table, &column_name, idempotent, place, out);
  }
}

void make_not_null(const ObjectName& table, const std::vector<std::string>& columns,
                   bool idempotent, const Place& place, EffectCollector& out) {
  ColumnExpectation not_null;
  not_null.not_null = true;
  for (const std::string& column : columns) {
    out.alter_column(child_of(table, ObjectKind::Column, column), not_null, idempotent, place);
  }
}

}  // namespace

void read_create_table(const json& create, const Place& place, EffectCollector& out) {
  const json& relation = create.at("relation");
  if (relation.value("relpersistence", "p") == "t") return;  // temporary: gone with the session
  const ObjectName table = relation_name(relation, ObjectKind::Table, place);
  if (create.contains("inhRelations") || create.contains("partbound") ||
      create.contains("ofTypename")) {
    out.note(
        Concern::Unsupported,
        describe(table) + " takes columns from another table or type (INHERITS, PARTITION OF, OF)",
        place);
  }
  const bool idempotent = create.value("if_not_exists", false);
  Effect effect;
  effect.action = Action::Create;
  effect.object = table;
  effect.idempotent = idempotent;
  out.create(std::move(effect), place);
  std::vector<std::string> key_columns;
  for (const json& element : member(create, "tableElts")) {
    if (element.contains("ColumnDef")) {
      read_column(element["ColumnDef"], table, idempotent, place, out);
    } else if (element.contains("Constraint")) {
      const auto keys =
          read_constraint(element["Constraint"], table, nullptr, idempotent, place, out);
      key_columns.insert(key_columns.end(), keys.begin(), keys.end());
    } else {
      out.note(Concern::Unsupported, describe(table) + " copies columns with LIKE", place);
    }
  }
  make_not_null(table, key_columns, idempotent, place, out);
}

void read_alter_table(const json& alter, const Place& place, EffectCollector& out) {
  const std::string object_type = alter.value("objtype", "");
  const ObjectName table = relation_name(alter.at("relation"), ObjectKind::Table, place);
  if (object_type != "OBJECT_TABLE") {
    out.note(Concern::Unsupported,
             "ALTER " + object_type.substr(object_type.find('_') + 1) + " " + table.name, place);
    return;
  }
  // ALTER TABLE IF EXISTS: every change below may not happen at all.
  const bool table_may_be_missing = alter.value("missing_ok", false);
  for (const json& item : member(alter, "cmds")) {
    const json& command = item.at("AlterTableCmd");
    const std::string subtype = command.value("subtype", "");
    const std::string name = command.value("name", "");
    const bool idempotent = table_may_be_missing || command.value("missing_ok", false);
    const ObjectName column = child_of(table, ObjectKind::Column, name);
    if (subtype == "AT_AddColumn") {
      read_column(command.at("def").at("ColumnDef"), table, idempotent, place, out);
    } else if (subtype == "AT_DropColumn") {
      out.drop(column, idempotent, place);
    } else if (subtype == "AT_DropConstraint") {
      out.drop(child_of(table, ObjectKind::Constraint, name), idempotent, place);
    } else if (subtype == "AT_AlterColumnType") {
      ColumnExpectation change =
          column_type(command.at("def").at("ColumnDef").at("typeName"), place.text);
      out.alter_column(column, change, table_may_be_missing, place);
    } else if (subtype == "AT_SetNotNull" || subtype == "AT_DropNotNull") {
      ColumnExpectation change;
      change.not_null = subtype == "AT_SetNotNull";
      out.alter_column(column, change, table_may_be_missing, place);
    } else if (subtype == "AT_ColumnDefault") {
      ColumnExpectation change;
      change.sets_default = true;
      if (command.contains("def")) {
        change.default_sql = normalized_expression(command["def"], place.text);
      }
      out.alter_column(column, change, table_may_be_missing, place);
    } else if (subtype == "AT_AddConstraint") {
      const auto keys = read_constraint(command.at("def").at("Constraint"), table, nullptr,
                                        idempotent, place, out);
      make_not_null(table, keys, idempotent, place, out);
    } else if (subtype == "AT_ValidateConstraint") {
      // Marks an existing constraint valid: nothing to check beyond its existence.
    } else {
      out.note(Concern::Unsupported,
               "ALTER TABLE " + table.name + " " + subtype.substr(3) + " (not checked by pmc)",
               place);
    }
  }
}

}  // namespace pmc::resolution::detail
