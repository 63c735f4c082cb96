// Statements whose effect is on rows, not on the catalog: DML anywhere in an executed statement
// (also in CTEs), CALL, SELECT INTO, and calls of functions that may write. A function call is
// trusted only when it is a known read-only built-in; the contract's state-changing functions and
// every unknown (user-defined) function count as data changes, so the decision fails closed.
#include <algorithm>
#include <set>

#include "extraction.hpp"
#include "pmc/contract.hpp"

namespace pmc::resolution::detail {
namespace {

// Built-ins that migrations call in conditions and queries and that change nothing.
const std::set<std::string>& read_only_functions() {
  static const std::set<std::string> names = {"abs",
                                              "age",
                                              "array_agg",
                                              "array_length",
                                              "array_position",
                                              "array_to_string",
                                              "avg",
                                              "bool_and",
                                              "bool_or",
                                              "btrim",
                                              "cardinality",
                                              "ceil",
                                              "char_length",
                                              "character_length",
                                              "clock_timestamp",
                                              "col_description",
                                              "concat",
                                              "concat_ws",
                                              "count",
                                              "current_database",
                                              "current_schema",
                                              "current_schemas",
                                              "current_setting",
                                              "current_user",
                                              "date_part",
                                              "date_trunc",
                                              "decode",
                                              "encode",
                                              "every",
                                              "exists",
                                              "extract",
                                              "floor",
                                              "format",
                                              "format_type",
                                              "generate_series",
                                              "gen_random_uuid",
                                              "has_column_privilege",
                                              "has_schema_privilege",
                                              "has_table_privilege",
                                              "json_agg",
                                              "json_build_array",
                                              "json_build_object",
                                              "jsonb_agg",
                                              "jsonb_build_array",
                                              "jsonb_build_object",
                                              "left",
                                              "length",
                                              "lower",
                                              "ltrim",
                                              "max",
                                              "md5",
                                              "min",
                                              "now",
                                              "obj_description",
                                              "octet_length",
                                              "pg_get_constraintdef",
                                              "pg_get_expr",
                                              "pg_get_indexdef",
                                              "pg_get_serial_sequence",
                                              "pg_get_viewdef",
                                              "pg_table_is_visible",
                                              "pg_type_is_visible",
                                              "pg_typeof",
                                              "position",
                                              "quote_ident",
                                              "quote_literal",
                                              "quote_nullable",
                                              "random",
                                              "regexp_match",
                                              "regexp_replace",
                                              "repeat",
                                              "replace",
                                              "right",
                                              "round",
                                              "row_number",
                                              "rtrim",
                                              "split_part",
                                              "statement_timestamp",
                                              "string_agg",
                                              "strpos",
                                              "substr",
                                              "substring",
                                              "sum",
                                              "timezone",
                                              "to_char",
                                              "to_date",
                                              "to_json",
                                              "to_jsonb",
                                              "to_number",
                                              "to_regclass",
                                              "to_regnamespace",
                                              "to_regproc",
                                              "to_regprocedure",
                                              "to_regrole",
                                              "to_regtype",
                                              "to_timestamp",
                                              "transaction_timestamp",
                                              "trim",
                                              "trunc",
                                              "unnest",
                                              "upper",
                                              "version"};
  return names;
}

std::string function_name(const json& func_call) {
  std::vector<std::string> names = string_list(member(func_call, "funcname"));
  if (names.empty()) return {};
  if (names.size() == 2 && names.front() == "pg_catalog") return names.back();
  std::string joined;
  for (const std::string& part : names) joined += (joined.empty() ? "" : ".") + part;
  return joined;
}

bool state_changing(const std::string& name) {
  const auto& listed = contract::embedded().sinks.state_changing_sql_functions;
  return std::find(listed.begin(), listed.end(), name) != listed.end() || name.starts_with("lo_") ||
         name.starts_with("pg_advisory");
}

void check_call(const json& func_call, const Place& place, EffectCollector& out) {
  const std::string name = function_name(func_call);
  if (state_changing(name)) {
    out.note(Concern::DataChange, "a call of " + name + "(), which changes state", place);
  } else if (!read_only_functions().contains(name)) {
    out.note(Concern::DataChange,
             "a call of " + name + "(), which pmc cannot show to leave data unchanged", place);
  }
}

std::string table_of(const json& body) {
  const json& relation = member(body, "relation");
  std::string name = relation.value("relname", "");
  if (relation.contains("schemaname"))
    name = relation["schemaname"].get<std::string>() + "." + name;
  return name;
}

// Walks an executed statement: nested DML (data-modifying CTEs) and function calls.
void walk(const json& node, const Place& place, EffectCollector& out) {
  if (node.is_array()) {
    for (const json& item : node) walk(item, place, out);
    return;
  }
  if (!node.is_object()) return;
  for (const auto& [key, value] : node.items()) {
    if (key == "InsertStmt") {
      out.note(Concern::DataChange, "INSERT into " + table_of(value), place);
    } else if (key == "UpdateStmt") {
      out.note(Concern::DataChange, "UPDATE of " + table_of(value), place);
    } else if (key == "DeleteStmt") {
      out.note(Concern::DataChange, "DELETE from " + table_of(value), place);
    } else if (key == "MergeStmt") {
      out.note(Concern::DataChange, "MERGE into " + table_of(value), place);
    } else if (key == "FuncCall") {
      check_call(value, place, out);
    }
    walk(value, place, out);
  }
}

bool explain_analyzes(const json& explain) {
  for (const json& option : member(explain, "options")) {
    const json& element = member(option, "DefElem");
    if (element.value("defname", "") == "analyze") {
      // EXPLAIN (ANALYZE false) does not run the statement; anything else does.
      const json& argument = member(element, "arg");
      if (!argument.contains("String")) return true;
      const std::string value = string_value(argument);
      return value != "false" && value != "off" && value != "0";
    }
  }
  return false;
}

}  // namespace

void report_function_calls(const json& node, const Place& place, EffectCollector& out) {
  walk(node, place, out);
}

void report_data_changes(const json& node, const Place& place, EffectCollector& out) {
  if (!node.is_object() || node.empty()) return;
  const std::string& type = node.begin().key();
  const json& body = node.begin().value();
  if (type == "InsertStmt" || type == "UpdateStmt" || type == "DeleteStmt" || type == "MergeStmt" ||
      type == "SelectStmt") {
    if (type == "SelectStmt" && body.contains("intoClause")) {
      out.note(Concern::DataChange, "SELECT INTO (makes a table and fills it with rows)", place);
    }
    walk(node, place, out);
  } else if (type == "TruncateStmt") {
    out.note(Concern::DataChange, "TRUNCATE", place);
  } else if (type == "CopyStmt") {
    if (body.value("is_from", false)) {
      out.note(Concern::DataChange, "COPY into " + table_of(body), place);
    } else {
      out.note(Concern::Unsupported, "COPY … TO (output pmc does not check)", place);
    }
  } else if (type == "CallStmt") {
    out.note(Concern::DataChange, "CALL of a procedure, which may change data", place);
  } else if (type == "ExplainStmt") {
    if (explain_analyzes(body)) report_data_changes(member(body, "query"), place, out);
  } else if (type == "CreateTableAsStmt") {
    out.note(Concern::DataChange, "CREATE TABLE AS / MATERIALIZED VIEW (fills a table with rows)",
             place);
  }
}

}  // namespace pmc::resolution::detail
