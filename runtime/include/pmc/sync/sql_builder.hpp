// The only source of promotion SQL. Every table and column it is asked for is checked against
// the allowlist of the contract EMBEDDED in this binary (whatever contract the caller loaded):
// anything else is refused with pmc::Failure, exit 1. Identifiers are quoted by the connection;
// values are never part of the text: they travel as parameters ($n) or as COPY data.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "pmc/contract.hpp"

namespace pmc::sync {

using QuoteIdentifier = std::function<std::string(std::string_view)>;

// Column name -> the type prod declares for it (format_type), used to cast parameters back.
using ColumnTypes = std::map<std::string, std::string>;

class ReferenceSqlBuilder {
 public:
  explicit ReferenceSqlBuilder(QuoteIdentifier quote);

  // id, then every writable column as text (references as the referenced row's natural key),
  // then each reference column's raw id (to detect references to missing rows).
  std::string select_rows(const contract::ReferenceTable& table) const;
  // The same rows as `COPY (select_rows) TO STDOUT`, for reading a large table as a stream.
  std::string copy_rows_out(const contract::ReferenceTable& table) const;
  // (referenced id as text, number of referencing rows) for one protecting reference.
  std::string select_protecting_ids(const contract::ReferenceTable& table,
                                    const contract::ProtectingReference& by) const;
  // The declared types of a table's columns; $1 is the table name as quoted_table() gives it.
  std::string select_column_types() const;
  std::string quoted_table(const contract::ReferenceTable& table) const;
  // Writers of the table lock out concurrent writes; protecting tables get no new references.
  std::string lock_for_sync(const contract::ReferenceTable& table) const;
  std::string lock_protecting(const contract::ReferenceTable& table) const;
  // COPY … FROM STDIN of every writable column, references as the referenced row's id in prod.
  std::string copy_rows(const contract::ReferenceTable& table) const;
  // (id as text, natural key) of every row: how a reference's natural key becomes prod's id.
  std::string select_keys(const contract::ReferenceTable& table) const;
  // $1: the ids (text[]), then one text[] per writable column (references as prod's ids).
  std::string update_rows(const contract::ReferenceTable& table, const ColumnTypes& types) const;

 private:
  const contract::ReferenceTable& allowed_table(const contract::ReferenceTable& table) const;
  std::string column(const contract::ReferenceTable& allowed, std::string_view name) const;
  std::string column_list(const contract::ReferenceTable& allowed) const;
  std::string cast_to_column(const contract::ReferenceTable& allowed, const std::string& name,
                             const std::string& value, const ColumnTypes& types) const;

  QuoteIdentifier quote_;
};

}  // namespace pmc::sync
