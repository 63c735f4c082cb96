// The catalog lookup of every probe in ONE read-only query: the probes travel as one jsonb
// parameter, each is resolved to its schema as PostgreSQL would, and one row comes back per probe.
#include "catalog_query.hpp"

#include <cstdlib>
#include <nlohmann/json.hpp>

namespace pmc::resolution::detail {
namespace {

// Unqualified names: in current_schema() for what the migration makes, otherwise where the
// search path finds the object (or its table / type), falling back to current_schema(). Each
// probe is placed once (MATERIALIZED), each distinct type name is looked up once, and each kind
// is one set-based join: rows come back only for what exists. A default holds no column
// reference (generated columns are left out), so pg_get_expr() needs no relation opened (0).
constexpr std::string_view kLookupSql = R"SQL(WITH wanted AS MATERIALIZED (
  SELECT w.ordinality::int AS i, w.value->>'k' AS kind, w.value->>'s' AS schema_name,
         w.value->>'p' AS parent, w.value->>'n' AS name, (w.value->>'h')::boolean AS made_here,
         w.value->>'t' AS type_name, (w.value->>'m')::int AS type_modifier,
         (w.value->>'d')::boolean AS wants_default
  FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS w(value, ordinality)
), types AS MATERIALIZED (
  SELECT t.type_name, pg_catalog.to_regtype(t.type_name) AS oid
  FROM (SELECT DISTINCT type_name FROM wanted WHERE type_name IS NOT NULL) t
), here AS (
  SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = current_schema()
), placed AS MATERIALIZED (
  SELECT wanted.*,
    CASE
      WHEN kind IN ('schema', 'extension') THEN NULL
      WHEN schema_name IS NOT NULL THEN
        (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = schema_name)
      WHEN made_here THEN (SELECT oid FROM here)
      WHEN kind IN ('enum type', 'enum value') THEN coalesce(
        (SELECT t.typnamespace FROM pg_catalog.pg_type t
          WHERE t.oid = pg_catalog.to_regtype(pg_catalog.quote_ident(coalesce(parent, name)))),
        (SELECT oid FROM here))
      ELSE coalesce(
        (SELECT c.relnamespace FROM pg_catalog.pg_class c
          WHERE c.oid = pg_catalog.to_regclass(pg_catalog.quote_ident(coalesce(parent, name)))),
        (SELECT oid FROM here))
    END AS nsp
  FROM wanted
)
SELECT p.i, NULL::text, NULL::text, NULL::boolean, NULL::int, NULL::boolean, NULL::text, NULL::text
  FROM placed p JOIN pg_catalog.pg_namespace n ON n.nspname = p.name WHERE p.kind = 'schema'
UNION ALL
SELECT p.i, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM placed p JOIN pg_catalog.pg_extension e ON e.extname = p.name WHERE p.kind = 'extension'
UNION ALL
SELECT p.i, c.relkind::text, NULL, NULL, NULL, NULL, NULL, NULL
  FROM placed p JOIN pg_catalog.pg_class c ON c.relnamespace = p.nsp AND c.relname = p.name
 WHERE p.kind IN ('table', 'view', 'sequence') AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
UNION ALL
SELECT p.i, t.relname::text, NULL, NULL, NULL, NULL, NULL, NULL
  FROM placed p JOIN pg_catalog.pg_class c ON c.relnamespace = p.nsp AND c.relname = p.name
  JOIN pg_catalog.pg_index x ON x.indexrelid = c.oid
  JOIN pg_catalog.pg_class t ON t.oid = x.indrelid
 WHERE p.kind = 'index'
UNION ALL
SELECT p.i, k.contype::text, NULL, NULL, NULL, NULL, NULL, NULL
  FROM placed p JOIN pg_catalog.pg_class t ON t.relnamespace = p.nsp AND t.relname = p.parent
  JOIN pg_catalog.pg_constraint k ON k.conrelid = t.oid AND k.conname = p.name
 WHERE p.kind = 'constraint'
UNION ALL
SELECT p.i, t.typtype::text, NULL, NULL, NULL, NULL, NULL, NULL
  FROM placed p JOIN pg_catalog.pg_type t ON t.typnamespace = p.nsp AND t.typname = p.name
  LEFT JOIN pg_catalog.pg_class r ON r.oid = t.typrelid
 WHERE p.kind = 'enum type' AND (t.typrelid = 0 OR r.relkind = 'c')
UNION ALL
SELECT p.i, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM placed p JOIN pg_catalog.pg_type t ON t.typnamespace = p.nsp AND t.typname = p.parent
  JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid AND e.enumlabel = p.name
 WHERE p.kind = 'enum value'
UNION ALL
SELECT p.i, c.relkind::text, pg_catalog.format_type(a.atttypid, a.atttypmod),
       a.atttypid = ty.oid, a.atttypmod, a.attnotnull,
       CASE WHEN p.wants_default AND a.attgenerated = '' THEN pg_catalog.pg_get_expr(d.adbin, 0) END,
       pg_catalog.format_type(ty.oid, p.type_modifier)
  FROM placed p LEFT JOIN types ty ON ty.type_name = p.type_name
  JOIN pg_catalog.pg_class c ON c.relnamespace = p.nsp AND c.relname = p.parent
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attname = p.name
  LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE p.kind = 'column' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND a.attnum > 0 AND NOT a.attisdropped
)SQL";

nlohmann::json probe_json(const Probe& probe) {
  nlohmann::json item = {
      {"k", kind_name(probe.object.kind)}, {"n", probe.object.name}, {"h", probe.made_here}};
  if (!probe.object.schema.empty()) item["s"] = probe.object.schema;
  if (!probe.object.parent.empty()) item["p"] = probe.object.parent;
  if (probe.type_name) item["t"] = *probe.type_name;
  if (probe.type_modifier) item["m"] = *probe.type_modifier;
  if (probe.wants_default) item["d"] = true;
  return item;
}

}  // namespace

std::optional<std::string> regtype_text(const ColumnExpectation& column) {
  if (column.type_names.empty() || column.type_names.size() > 2) return std::nullopt;
  std::string text;
  for (const std::string& part : column.type_names) {
    if (!text.empty()) text += '.';
    text += quoted_identifier(part);
  }
  for (int dimension = 0; dimension < column.array_dimensions; ++dimension) text += "[]";
  return text;
}

template <class Connection>
std::vector<Observation> observe(Connection& connection, const std::vector<Probe>& probes) {
  std::vector<Observation> observations(probes.size());
  if (probes.empty()) return observations;
  nlohmann::json list = nlohmann::json::array();
  for (const Probe& probe : probes) list.push_back(probe_json(probe));
  const db::Result result = connection.query(
      kLookupSql, {list.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict)});
  for (int row = 0; row < result.rows(); ++row) {
    const auto index = static_cast<std::size_t>(std::atoi(result.text(row, 0).c_str()) - 1);
    if (index >= observations.size()) continue;
    Observation& seen = observations[index];
    seen.found = true;
    seen.detail = result.text(row, 1);
    seen.type = result.text(row, 2);
    seen.type_matches = result.text(row, 3) == "t";
    seen.type_modifier = result.value(row, 4) ? std::atoi(result.text(row, 4).c_str()) : -1;
    seen.not_null = result.text(row, 5) == "t";
    seen.default_expression = result.value(row, 6);
    seen.expected_type = result.text(row, 7);
  }
  return observations;
}

template std::vector<Observation> observe(db::ReadOnlyConnection&, const std::vector<Probe>&);
template std::vector<Observation> observe(db::WritableConnection&, const std::vector<Probe>&);

}  // namespace pmc::resolution::detail
