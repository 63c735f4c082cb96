// The test's own view of the catalog, independent of pmc's check: every object of the kinds the
// extractor names, with an identity that survives renames (OIDs), and what a drop takes with it.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace pmc::test {

struct CatalogObject {
  std::string kind;      // schema, table, column, enum type, enum value, index, constraint,
                         // sequence, view, extension
  std::string identity;  // OIDs (a column: table OID and attnum)
  std::string schema;    // namespace name ("" for schemas and extensions)
  std::string schema_oid;
  std::string parent;      // table of a column/constraint/index, type of an enum value
  std::string parent_oid;  // also: the table owning a sequence
  std::string name;
  std::string detail;             // columns: type, nullability, default
  std::set<std::string> columns;  // attnums an index/constraint covers, or a sequence's owner

  // "public.services.name", "billing.invoices", "billing.currency.EUR", "audit".
  std::string qualified() const;
};

// One query: the objects of every non-system schema, extension members and the indexes behind
// key constraints (a key and its index are one object, checked as the constraint) left out.
std::vector<CatalogObject> catalog_snapshot(const std::string& url);

// What changed between two snapshots, as lines "create table public.t", "drop column
// public.t.c", "rename index public.a -> public.b", "alter column public.t.c". An object dropped
// and created again under the same name (an index rebuilt by ALTER COLUMN TYPE) is no change.
struct CatalogChange {
  std::string line;
  std::string action;                     // create, drop, rename, alter
  const CatalogObject* before = nullptr;  // into the snapshots given to catalog_diff
  const CatalogObject* after = nullptr;
};
std::vector<CatalogChange> catalog_diff(const std::vector<CatalogObject>& before,
                                        const std::vector<CatalogObject>& after);

// Whether dropping `dropped` (objects of `before`) takes `object` with it: a table's columns,
// keys, indexes and owned sequences, an indexed or constrained column's index and constraint, an
// enum's values, a schema's contents, and so on down.
bool dropped_with(const CatalogObject& object, const std::vector<const CatalogObject*>& dropped,
                  const std::vector<CatalogObject>& before);

}  // namespace pmc::test
