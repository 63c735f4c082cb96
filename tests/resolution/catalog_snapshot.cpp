// The catalog snapshot query, the diff of two snapshots, and PostgreSQL's drop dependencies.
#include "catalog_snapshot.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "raw_sql.hpp"

namespace pmc::test {
namespace {

constexpr char kUserSchemas[] =
    "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
    " AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE 'pg_toast_temp_%'";

// kind, identity, schema, schema oid, parent, parent oid, name, detail, columns (a,b,…)
std::string snapshot_sql() {
  const std::string user = kUserSchemas;
  const std::string not_member = [](const char* catalog, const char* oid) {
    return std::string(" AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '") + catalog +
           "'::regclass AND d.objid = " + oid + " AND d.deptype = 'e')";
  }("pg_class", "c.oid");
  return
      // schemas
      "SELECT 'schema', n.oid::text, '', '', '', '', n.nspname::text, '', ''"
      " FROM pg_namespace n WHERE " +
      user +
      // extensions
      " UNION ALL SELECT 'extension', e.oid::text, '', '', '', '', e.extname::text, '', ''"
      " FROM pg_extension e"
      // tables, views, sequences (with the column that owns a sequence)
      " UNION ALL SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'S' THEN 'sequence' ELSE 'table' "
      "END,"
      " c.oid::text, n.nspname::text, n.oid::text, coalesce(o.relname::text, ''),"
      " coalesce(o.oid::text, ''), c.relname::text, '', coalesce(d.refobjsubid::text, '')"
      " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
      " LEFT JOIN pg_depend d ON c.relkind = 'S' AND d.classid = 'pg_class'::regclass"
      "   AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')"
      " LEFT JOIN pg_class o ON o.oid = d.refobjid"
      " WHERE c.relkind IN ('r', 'p', 'v', 'S') AND " +
      user + not_member +
      // indexes, except those behind key constraints
      " UNION ALL SELECT 'index', c.oid::text, n.nspname::text, n.oid::text, t.relname::text,"
      " t.oid::text, c.relname::text, '',"
      " coalesce((SELECT string_agg(d.refobjsubid::text, ',') FROM pg_depend d"
      "   WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid"
      "   AND d.refclassid = 'pg_class'::regclass AND d.refobjid = t.oid AND d.refobjsubid > 0), "
      "'')"
      " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
      " JOIN pg_index x ON x.indexrelid = c.oid JOIN pg_class t ON t.oid = x.indrelid"
      " WHERE c.relkind IN ('i', 'I') AND " +
      user + not_member +
      " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid"
      "   AND k.contype IN ('p', 'u', 'x'))"
      // columns of tables
      " UNION ALL SELECT 'column', c.oid::text || '.' || a.attnum::text, n.nspname::text,"
      " n.oid::text, c.relname::text, c.oid::text, a.attname::text,"
      " format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END"
      "   || coalesce(' DEFAULT ' || pg_get_expr(ad.adbin, ad.adrelid), ''),"
      " a.attnum::text"
      " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
      " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
      " LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum"
      " WHERE c.relkind IN ('r', 'p') AND " +
      user + not_member +
      // constraints of tables
      " UNION ALL SELECT 'constraint', k.oid::text, n.nspname::text, n.oid::text, c.relname::text,"
      " c.oid::text, k.conname::text, k.contype::text, coalesce(array_to_string(k.conkey, ','), '')"
      " FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
      " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " +
      user + not_member +
      // enum types and their values
      " UNION ALL SELECT 'enum type', t.oid::text, n.nspname::text, n.oid::text, '', '',"
      " t.typname::text, '', ''"
      " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'e' AND " +
      user +
      " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass"
      "   AND d.objid = t.oid AND d.deptype = 'e')"
      " UNION ALL SELECT 'enum value', e.oid::text, n.nspname::text, n.oid::text, t.typname::text,"
      " t.oid::text, e.enumlabel::text, '', ''"
      " FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid"
      " JOIN pg_namespace n ON n.oid = t.typnamespace WHERE " +
      user +
      " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass"
      "   AND d.objid = t.oid AND d.deptype = 'e')";
}

std::set<std::string> split_list(const std::string& text) {
  std::set<std::string> items;
  std::istringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) items.insert(item);
  }
  return items;
}

std::string key_of(const CatalogObject& object) { return object.kind + " " + object.qualified(); }

}  // namespace

std::string CatalogObject::qualified() const {
  if (kind == "schema" || kind == "extension") return name;
  if (kind == "column" || kind == "constraint" || kind == "enum value") {
    return schema + "." + parent + "." + name;
  }
  return schema + "." + name;  // an index is known by schema and name, as DROP INDEX names it
}

std::vector<CatalogObject> catalog_snapshot(const std::string& url) {
  const SqlResult result = run_sql(url, snapshot_sql());
  EXPECT_TRUE(result.ok()) << result.error;
  std::vector<CatalogObject> objects;
  for (const auto& row : result.rows) {
    auto text = [&](std::size_t i) { return row[i].value_or(""); };
    CatalogObject object{text(0), text(1), text(2),
                         text(3), text(4), text(5),
                         text(6), text(7), split_list(text(8))};
    objects.push_back(std::move(object));
  }
  return objects;
}

std::vector<CatalogChange> catalog_diff(const std::vector<CatalogObject>& before,
                                        const std::vector<CatalogObject>& after) {
  std::map<std::string, const CatalogObject*> old_by_identity, new_by_identity;
  for (const CatalogObject& object : before)
    old_by_identity[object.kind + object.identity] = &object;
  for (const CatalogObject& object : after)
    new_by_identity[object.kind + object.identity] = &object;
  std::vector<CatalogChange> changes;
  std::map<std::string, std::size_t> dropped_at, created_at;
  for (const CatalogObject& object : before) {
    const auto found = new_by_identity.find(object.kind + object.identity);
    if (found == new_by_identity.end()) {
      dropped_at[key_of(object)] = changes.size();
      changes.push_back({"drop " + key_of(object), "drop", &object, nullptr});
      continue;
    }
    const CatalogObject& now = *found->second;
    // A child follows its table's or type's rename: only its own name or schema counts.
    if (now.name != object.name || now.schema_oid != object.schema_oid) {
      changes.push_back(
          {"rename " + key_of(object) + " -> " + now.qualified(), "rename", &object, &now});
    }
    if (now.detail != object.detail && object.kind == "column") {
      changes.push_back({"alter " + key_of(now), "alter", &object, &now});
    }
  }
  for (const CatalogObject& object : after) {
    if (!old_by_identity.contains(object.kind + object.identity)) {
      created_at[key_of(object)] = changes.size();
      changes.push_back({"create " + key_of(object), "create", nullptr, &object});
    }
  }
  // Rebuilt under the same name (ALTER COLUMN TYPE re-creates the indexes and keys on it).
  std::set<std::size_t> rebuilt;
  for (const auto& [key, index] : dropped_at) {
    if (const auto made = created_at.find(key); made != created_at.end()) {
      rebuilt.insert(index);
      rebuilt.insert(made->second);
    }
  }
  std::vector<CatalogChange> kept;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (!rebuilt.contains(i)) kept.push_back(changes[i]);
  }
  return kept;
}

bool dropped_with(const CatalogObject& object, const std::vector<const CatalogObject*>& dropped,
                  const std::vector<CatalogObject>& before) {
  for (const CatalogObject* gone : dropped) {
    if (gone == &object) continue;
    if (gone->kind == "schema" && object.schema_oid == gone->identity) return true;
    if ((gone->kind == "table" || gone->kind == "view" || gone->kind == "enum type") &&
        object.parent_oid == gone->identity) {
      return true;
    }
    if (gone->kind == "column" && object.parent_oid == gone->parent_oid &&
        object.kind != "column" && object.columns.contains(*gone->columns.begin())) {
      return true;
    }
  }
  // Down the chain: a column of a table in a dropped schema goes with the table.
  for (const CatalogObject& parent : before) {
    if (parent.identity == object.parent_oid && &parent != &object &&
        (parent.kind == "table" || parent.kind == "enum type") &&
        dropped_with(parent, dropped, before)) {
      return true;
    }
  }
  return false;
}

}  // namespace pmc::test
