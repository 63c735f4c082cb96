// One statement → its effects: the dispatch over libpg_query's statement nodes. What is not
// modelled here is reported as Unsupported, so the decision fails closed on it.
#include "extraction.hpp"

namespace pmc::resolution::detail {
namespace {

void create(EffectCollector& out, ObjectName object, bool idempotent, const Place& place) {
  Effect effect;
  effect.action = Action::Create;
  effect.object = std::move(object);
  effect.idempotent = idempotent;
  out.create(std::move(effect), place);
}

std::string object_type_words(const std::string& object_type) {
  std::string words = object_type.substr(object_type.find('_') + 1);  // OBJECT_MATVIEW → MATVIEW
  for (char& c : words) {
    if (c == '_') c = ' ';
  }
  return words;
}

std::string statement_words(const std::string& node_type) {
  std::string name = node_type;
  if (name.size() > 4 && name.ends_with("Stmt")) name.resize(name.size() - 4);
  return name;
}

void read_create_schema(const json& create_schema, const Place& place, EffectCollector& out) {
  const std::string schema = create_schema.value("schemaname", "");
  if (schema.empty()) {
    out.note(Concern::Unsupported, "CREATE SCHEMA AUTHORIZATION without a schema name", place);
    return;
  }
  create(out, ObjectName{ObjectKind::Schema, "", "", schema},
         create_schema.value("if_not_exists", false), place);
  Place inside = place;
  inside.default_schema = schema;
  for (const json& element : member(create_schema, "schemaElts")) {
    read_statement(element, inside, out);
  }
}

void read_index(const json& index, const Place& place, EffectCollector& out) {
  const ObjectName table = relation_name(index.at("relation"), ObjectKind::Table, place);
  std::string name = index.value("idxname", "");
  if (name.empty()) {
    // ChooseIndexName: the table, the key and INCLUDE column names, and "idx".
    json elements = json::array();
    for (const char* list : {"indexParams", "indexIncludingParams"}) {
      for (const json& element : member(index, list)) elements.push_back(element);
    }
    name = out.choose_relation_name(table.schema, table.name,
                                    join_name_parts(index_column_names(elements)), "idx");
  }
  create(out, ObjectName{ObjectKind::Index, table.schema, table.name, name},
         index.value("if_not_exists", false), place);
}

void read_drop(const json& drop, const Place& place, EffectCollector& out) {
  const std::string type = drop.value("removeType", "");
  const bool idempotent = drop.value("missing_ok", false);
  ObjectKind kind = ObjectKind::Table;
  if (type == "OBJECT_TABLE") {
    kind = ObjectKind::Table;
  } else if (type == "OBJECT_INDEX") {
    kind = ObjectKind::Index;
  } else if (type == "OBJECT_SEQUENCE") {
    kind = ObjectKind::Sequence;
  } else if (type == "OBJECT_VIEW") {
    kind = ObjectKind::View;
  } else if (type == "OBJECT_TYPE") {
    kind = ObjectKind::EnumType;
  } else if (type == "OBJECT_SCHEMA") {
    kind = ObjectKind::Schema;
  } else if (type == "OBJECT_EXTENSION") {
    kind = ObjectKind::Extension;
  } else {
    out.note(Concern::Unsupported, "DROP " + object_type_words(type), place);
    return;
  }
  for (const json& object : member(drop, "objects")) {
    std::vector<std::string> parts;
    if (object.contains("List")) {
      parts = string_list(member(object["List"], "items"));
    } else if (object.contains("TypeName")) {
      parts = string_list(member(object["TypeName"], "names"));
    } else {
      parts = {string_value(object)};
    }
    ObjectName name = qualified_name(parts, kind, place);
    if (kind == ObjectKind::Schema || kind == ObjectKind::Extension) name.schema.clear();
    out.drop(name, idempotent, place);
  }
}

void read_rename(const json& rename, const Place& place, EffectCollector& out) {
  const std::string type = rename.value("renameType", "");
  const std::string new_name = rename.value("newname", "");
  const bool idempotent = rename.value("missing_ok", false);
  auto relation = [&](ObjectKind kind) {
    return relation_name(rename.at("relation"), kind, place);
  };
  if (type == "OBJECT_TABLE" || type == "OBJECT_INDEX" || type == "OBJECT_SEQUENCE" ||
      type == "OBJECT_VIEW") {
    const ObjectKind kind = type == "OBJECT_TABLE"   ? ObjectKind::Table
                            : type == "OBJECT_INDEX" ? ObjectKind::Index
                            : type == "OBJECT_VIEW"  ? ObjectKind::View
                                                     : ObjectKind::Sequence;
    const ObjectName from = relation(kind);
    ObjectName to = from;
    to.name = new_name;
    out.rename(from, to, idempotent, place);
  } else if (type == "OBJECT_COLUMN" || type == "OBJECT_TABCONSTRAINT") {
    // relationType is not reliable in this libpg_query version (uninitialised for some forms).
    const ObjectName table = relation(ObjectKind::Table);
    const ObjectKind kind = type == "OBJECT_COLUMN" ? ObjectKind::Column : ObjectKind::Constraint;
    out.rename(ObjectName{kind, table.schema, table.name, rename.value("subname", "")},
               ObjectName{kind, table.schema, table.name, new_name}, idempotent, place);
  } else if (type == "OBJECT_TYPE") {
    const ObjectName from = qualified_name(
        string_list(member(rename.at("object").at("List"), "items")), ObjectKind::EnumType, place);
    ObjectName to = from;
    to.name = new_name;
    out.rename(from, to, idempotent, place);
  } else if (type == "OBJECT_SCHEMA") {
    out.rename(ObjectName{ObjectKind::Schema, "", "", rename.value("subname", "")},
               ObjectName{ObjectKind::Schema, "", "", new_name}, idempotent, place);
  } else {
    out.note(Concern::Unsupported, "RENAME of " + object_type_words(type), place);
  }
}

void read_create_enum(const json& create_enum, const Place& place, EffectCollector& out) {
  const ObjectName type =
      qualified_name(string_list(member(create_enum, "typeName")), ObjectKind::EnumType, place);
  create(out, type, false, place);
  for (const std::string& label : string_list(member(create_enum, "vals"))) {
    create(out, ObjectName{ObjectKind::EnumValue, type.schema, type.name, label}, false, place);
  }
}

void read_alter_enum(const json& alter, const Place& place, EffectCollector& out) {
  const ObjectName type =
      qualified_name(string_list(member(alter, "typeName")), ObjectKind::EnumType, place);
  const ObjectName value{ObjectKind::EnumValue, type.schema, type.name, alter.value("newVal", "")};
  if (alter.contains("oldVal")) {
    out.rename(ObjectName{ObjectKind::EnumValue, type.schema, type.name, alter.value("oldVal", "")},
               value, false, place);
  } else {
    create(out, value, alter.value("skipIfNewValExists", false), place);
  }
}

// SET search_path decides where later unqualified names go. One schema is followed; several
// would make a name's schema depend on what exists, which pmc does not guess.
void read_set(const json& set, const Place& place, EffectCollector& out) {
  if (set.value("name", "") != "search_path") return;
  const std::string kind = set.value("kind", "");
  if (kind == "VAR_RESET" || kind == "VAR_SET_DEFAULT" || kind == "VAR_RESET_ALL") {
    out.set_search_schema("");
    return;
  }
  std::vector<std::string> schemas;
  for (const json& argument : member(set, "args")) {
    if (const auto schema = string_constant(argument)) {
      if (*schema != "$user" && *schema != "pg_catalog") schemas.push_back(*schema);
    } else if (argument.contains("ColumnRef")) {
      schemas.push_back(string_value(argument["ColumnRef"].at("fields").back()));
    }
  }
  if (schemas.size() != 1) {
    out.note(Concern::Unsupported,
             "SET search_path to " + std::to_string(schemas.size()) +
                 " schemas (pmc follows exactly one)",
             place);
    return;
  }
  out.set_search_schema(schemas.front());
}

}  // namespace

void read_statement(const json& node, const Place& given_place, EffectCollector& out) {
  if (!node.is_object() || node.empty()) return;
  Place place = given_place;
  if (place.default_schema.empty()) place.default_schema = out.search_schema();
  const std::string& type = node.begin().key();
  const json& body = node.begin().value();
  report_data_changes(node, place, out);
  if (type == "CreateStmt") {
    read_create_table(body, place, out);
  } else if (type == "AlterTableStmt") {
    read_alter_table(body, place, out);
  } else if (type == "IndexStmt") {
    read_index(body, place, out);
  } else if (type == "CreateSchemaStmt") {
    read_create_schema(body, place, out);
  } else if (type == "CreateEnumStmt") {
    read_create_enum(body, place, out);
  } else if (type == "AlterEnumStmt") {
    read_alter_enum(body, place, out);
  } else if (type == "CreateSeqStmt") {
    create(out, relation_name(body.at("sequence"), ObjectKind::Sequence, place),
           body.value("if_not_exists", false), place);
  } else if (type == "ViewStmt") {
    create(out, relation_name(body.at("view"), ObjectKind::View, place),
           body.value("replace", false), place);
  } else if (type == "CreateExtensionStmt") {
    create(out, ObjectName{ObjectKind::Extension, "", "", body.value("extname", "")},
           body.value("if_not_exists", false), place);
  } else if (type == "DropStmt") {
    read_drop(body, place, out);
  } else if (type == "RenameStmt") {
    read_rename(body, place, out);
  } else if (type == "DoStmt") {
    read_do_block(body, place, out);
  } else if (type == "VariableSetStmt") {
    read_set(body, place, out);
  } else if (type == "InsertStmt" || type == "UpdateStmt" || type == "DeleteStmt" ||
             type == "MergeStmt" || type == "SelectStmt" || type == "CopyStmt" ||
             type == "TruncateStmt" || type == "CallStmt" || type == "ExplainStmt" ||
             type == "TransactionStmt" || type == "VariableShowStmt") {
    // Data changes were reported above; transaction control and SHOW change no object.
  } else if (type == "CreateTableAsStmt") {
    // Reported above as a data change: it fills a table (or materialized view) with rows.
  } else {
    out.note(Concern::Unsupported,
             "a statement whose effect pmc does not check (" + statement_words(type) + ")", place);
  }
}

}  // namespace pmc::resolution::detail
