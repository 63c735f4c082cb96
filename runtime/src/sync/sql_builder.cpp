// ReferenceSqlBuilder: promotion SQL from allowlisted names only, checked at run time against
// the embedded contract, whatever contract the caller passes in.
#include "pmc/sync/sql_builder.hpp"

#include <algorithm>

#include "pmc/error.hpp"
#include "pmc/sync/reference_tables.hpp"

namespace pmc::sync {
namespace {

const contract::ReferenceTable* embedded_table(std::string_view name) {
  return contract::embedded().find_reference_table(name);
}

[[noreturn]] void refuse_table(std::string_view table) {
  throw Failure("PMC-5001", "table \"" + std::string(table) + "\" is outside the allowlist",
                "Reference-data promotion writes only the tables the contract embedded in this "
                "program lists as reference data.",
                "Promote only allowlisted tables; changing the allowlist is a contract change "
                "(rules/contract.json and CONTRACT.md).");
}

[[noreturn]] void refuse_column(std::string_view table, std::string_view column) {
  throw Failure("PMC-5002",
                "column \"" + std::string(column) + "\" of table \"" + std::string(table) +
                    "\" is outside the allowlist",
                "Reference-data promotion reads and writes only the columns the embedded "
                "contract lists for the table.",
                "Promote only allowlisted columns; changing the allowlist is a contract change.");
}

bool allowed_column(const contract::ReferenceTable& allowed, std::string_view name) {
  return name == allowed.key_column ||
         std::find(allowed.columns.begin(), allowed.columns.end(), name) != allowed.columns.end();
}

std::string alias(char prefix, std::size_t index) { return prefix + std::to_string(index); }

}  // namespace

ReferenceSqlBuilder::ReferenceSqlBuilder(QuoteIdentifier quote) : quote_(std::move(quote)) {}

// Every name of the caller's table must appear in the embedded allowlist entry of that table.
const contract::ReferenceTable& ReferenceSqlBuilder::allowed_table(
    const contract::ReferenceTable& table) const {
  const contract::ReferenceTable* allowed = embedded_table(table.table);
  if (allowed == nullptr) refuse_table(table.table);
  if (table.key_column != allowed->key_column) refuse_column(table.table, table.key_column);
  if (table.natural_key != allowed->natural_key) refuse_column(table.table, table.natural_key);
  for (const std::string& name : table.columns) {
    if (!allowed_column(*allowed, name)) refuse_column(table.table, name);
  }
  for (const contract::ReferenceLink& link : table.references) {
    const auto same = [&](const contract::ReferenceLink& a) {
      return a.column == link.column && a.table == link.table;
    };
    if (std::none_of(allowed->references.begin(), allowed->references.end(), same)) {
      refuse_column(table.table, link.column);
    }
    if (embedded_table(link.table) == nullptr) refuse_table(link.table);
  }
  return table;
}

std::string ReferenceSqlBuilder::column(const contract::ReferenceTable& allowed,
                                        std::string_view name) const {
  const contract::ReferenceTable* entry = embedded_table(allowed.table);
  if (entry == nullptr) refuse_table(allowed.table);
  if (!allowed_column(*entry, name)) refuse_column(allowed.table, name);
  return quote_(name);
}

std::string ReferenceSqlBuilder::quoted_table(const contract::ReferenceTable& table) const {
  return quote_(allowed_table(table).table);
}

std::string ReferenceSqlBuilder::select_rows(const contract::ReferenceTable& table) const {
  const contract::ReferenceTable& allowed = allowed_table(table);
  std::string values;
  std::string raw_references;
  std::string joins;
  std::size_t links = 0;
  for (const std::string& name : allowed.columns) {
    values += ", ";
    const contract::ReferenceLink* link = link_of(allowed, name);
    if (link == nullptr) {
      values += "t." + column(allowed, name) + "::text";
      continue;
    }
    const contract::ReferenceTable& target = *embedded_table(link->table);
    const std::string r = alias('r', links++);
    values += r + "." + column(target, target.natural_key) + "::text";
    raw_references += ", t." + column(allowed, name) + "::text";
    joins += " LEFT JOIN " + quote_(target.table) + " AS " + r + " ON " + r + "." +
             column(target, target.key_column) + " = t." + column(allowed, name);
  }
  return "SELECT t." + column(allowed, allowed.key_column) + "::text" + values + raw_references +
         " FROM " + quote_(allowed.table) + " AS t" + joins;
}

std::string ReferenceSqlBuilder::copy_rows_out(const contract::ReferenceTable& table) const {
  return "COPY (" + select_rows(table) + ") TO STDOUT";
}

std::string ReferenceSqlBuilder::select_protecting_ids(
    const contract::ReferenceTable& table, const contract::ProtectingReference& by) const {
  const contract::ReferenceTable& allowed = allowed_table(table);
  const contract::ReferenceTable& entry = *embedded_table(allowed.table);
  const bool listed = std::any_of(entry.protected_by.begin(), entry.protected_by.end(),
                                  [&](const contract::ProtectingReference& p) {
                                    return p.table == by.table && p.column == by.column;
                                  });
  if (!listed) refuse_table(by.table);
  const std::string referencing = "p." + quote_(by.column);
  return "SELECT " + referencing + "::text, count(*) FROM " + quote_(by.table) + " AS p WHERE " +
         referencing + " IS NOT NULL GROUP BY " + referencing;
}

std::string ReferenceSqlBuilder::select_column_types() const {
  return "SELECT a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod) "
         "FROM pg_catalog.pg_attribute AS a "
         "WHERE a.attrelid = pg_catalog.to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped";
}

std::string ReferenceSqlBuilder::lock_for_sync(const contract::ReferenceTable& table) const {
  // SHARE ROW EXCLUSIVE: others may read, nobody else may write until the sync commits.
  return "LOCK TABLE ONLY " + quoted_table(table) + " IN SHARE ROW EXCLUSIVE MODE";
}

std::string ReferenceSqlBuilder::lock_protecting(const contract::ReferenceTable& table) const {
  const contract::ReferenceTable& allowed = allowed_table(table);
  const contract::ReferenceTable& entry = *embedded_table(allowed.table);
  std::string names;
  for (const contract::ProtectingReference& by : entry.protected_by) {
    if (!names.empty()) names += ", ";
    names += quote_(by.table);
  }
  // SHARE: no row can start referencing a service between the protection check and the commit.
  return names.empty() ? std::string() : "LOCK TABLE ONLY " + names + " IN SHARE MODE";
}

std::string ReferenceSqlBuilder::column_list(const contract::ReferenceTable& allowed) const {
  std::string names;
  for (const std::string& name : allowed.columns) {
    names += (names.empty() ? "" : ", ") + column(allowed, name);
  }
  return names;
}

std::string ReferenceSqlBuilder::cast_to_column(const contract::ReferenceTable& allowed,
                                                const std::string& name, const std::string& value,
                                                const ColumnTypes& types) const {
  const auto type = types.find(name);
  if (type == types.end()) {
    throw Failure("PMC-5009", "prod table \"" + allowed.table + "\" has no column \"" + name + "\"",
                  "The contract allowlists the column, but the prod database does not have it.",
                  "Deploy prod's pending migrations first (pmc-deploy-db), then run again.");
  }
  // The type text comes from prod's own catalog (format_type), not from any input.
  return "CAST(" + value + " AS " + type->second + ")";
}

std::string ReferenceSqlBuilder::copy_rows(const contract::ReferenceTable& table) const {
  const contract::ReferenceTable& allowed = allowed_table(table);
  return "COPY " + quote_(allowed.table) + " (" + column_list(allowed) + ") FROM STDIN";
}

std::string ReferenceSqlBuilder::select_keys(const contract::ReferenceTable& table) const {
  const contract::ReferenceTable& allowed = allowed_table(table);
  return "SELECT t." + column(allowed, allowed.key_column) + "::text, t." +
         column(allowed, allowed.natural_key) + "::text FROM " + quote_(allowed.table) + " AS t";
}

std::string ReferenceSqlBuilder::update_rows(const contract::ReferenceTable& table,
                                             const ColumnTypes& types) const {
  const contract::ReferenceTable& allowed = allowed_table(table);
  std::string assignments;
  std::string arrays = "$1::text[]";
  std::string names = "id";
  for (std::size_t i = 0; i < allowed.columns.size(); ++i) {
    const std::string& name = allowed.columns[i];
    const std::string value = "u." + alias('c', i);
    assignments += (i > 0 ? ", " : "") + column(allowed, name) + " = " +
                   cast_to_column(allowed, name, value, types);
    arrays += ", $" + std::to_string(i + 2) + "::text[]";
    names += ", " + alias('c', i);
  }
  return "UPDATE " + quote_(allowed.table) + " AS t SET " + assignments + " FROM unnest(" + arrays +
         ") AS u(" + names + ") WHERE t." + column(allowed, allowed.key_column) + " = " +
         cast_to_column(allowed, allowed.key_column, "u.id", types);
}

}  // namespace pmc::sync
