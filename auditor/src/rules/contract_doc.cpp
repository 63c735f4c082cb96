// contract-doc: CONTRACT.md's two machine-read tables ("Entry points", "Allowed tables and
// columns") name the same entry points, tables and columns as rules/contract.json.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "rules/contract_line.hpp"
#include "rules/rule.hpp"

namespace pmc::audit {
namespace {

constexpr char kDocument[] = "CONTRACT.md";
constexpr char kEntryPointsHeading[] = "Entry points";
constexpr char kTablesHeading[] = "Allowed tables and columns";

std::string trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r`");
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(" \t\r`");
  return std::string(text.substr(first, last - first + 1));
}

// "a, b" -> {a, b}
std::set<std::string> list_of(const std::string& cell) {
  std::set<std::string> items;
  std::stringstream stream(cell);
  for (std::string item; std::getline(stream, item, ',');) {
    item = trim(item);
    if (!item.empty()) items.insert(item);
  }
  return items;
}

std::string joined(const std::set<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text.empty() ? "(none)" : text;
}

struct Row {
  unsigned line = 0;
  std::map<std::string, std::string> cells;  // by header
};

struct Table {
  unsigned heading_line = 0;  // 0: no such heading
  std::vector<std::string> headers;
  std::vector<Row> rows;
};

std::vector<std::string> cells_of(std::string_view line) {
  std::vector<std::string> cells;
  std::string_view rest = line.substr(line.find('|') + 1);
  if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
  if (!rest.empty() && rest.back() == '|') rest.remove_suffix(1);
  std::size_t start = 0;
  while (start <= rest.size()) {
    const std::size_t bar = rest.find('|', start);
    cells.push_back(trim(rest.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start)));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return cells;
}

// The first table after the heading, before the next heading.
Table read_table(const std::vector<std::string>& lines, const std::string& heading) {
  Table table;
  std::size_t i = 0;
  for (; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    const std::size_t hashes = line.find_first_not_of('#');
    if (hashes == 0 || hashes == std::string::npos || line[hashes] != ' ') continue;
    if (trim(line.substr(hashes)) == heading) break;
  }
  if (i == lines.size()) return table;
  table.heading_line = static_cast<unsigned>(i + 1);
  for (++i; i < lines.size(); ++i) {
    const std::string line = trim(lines[i]);
    if (line.rfind('#', 0) == 0) break;
    if (line.rfind('|', 0) != 0) {
      if (!table.headers.empty()) break;
      continue;
    }
    std::vector<std::string> cells = cells_of(line);
    if (table.headers.empty()) {
      table.headers = std::move(cells);
      continue;
    }
    if (std::all_of(cells.begin(), cells.end(), [](const std::string& cell) {
          return cell.find_first_not_of(":- ") == std::string::npos;
        })) {
      continue;  // the |---|---| line
    }
    Row row;
    row.line = static_cast<unsigned>(i + 1);
    for (std::size_t c = 0; c < table.headers.size() && c < cells.size(); ++c) row.cells[table.headers[c]] = cells[c];
    table.rows.push_back(std::move(row));
  }
  return table;
}

const char* status_name(contract::EntryPointStatus status) {
  switch (status) {
    case contract::EntryPointStatus::Active: return "active";
    case contract::EntryPointStatus::Deprecated: return "deprecated";
    case contract::EntryPointStatus::Removed: return "removed";
  }
  return "";
}

class ContractDocRule : public Rule {
 public:
  std::string_view id() const override { return "contract-doc"; }
  std::string_view summary() const override {
    return "CONTRACT.md and rules/contract.json name the same entry points, tables and columns";
  }
  std::string_view explanation() const override {
    return "CONTRACT.md, the contract in prose, carries two machine-read tables under fixed "
           "headings. \"Entry points\" (columns binary, source, guard, categories, status) must "
           "list exactly the contract's entry_points with the same source, guard, categories and "
           "status; \"Allowed tables and columns\" (columns table, columns, natural key, protected "
           "by) exactly its reference_data tables with the same writable columns, natural key and "
           "protecting references (table.column). The prose around them is not compared. A row "
           "that disagrees or that the JSON lacks is reported at its CONTRACT.md line; an item "
           "the document lacks at its rules/contract.json line; a missing document, heading or "
           "table at the document's first line or the heading. With --contract FILE the "
           "document is the CONTRACT.md above FILE's rules/ folder, or beside FILE.";
  }
  bool reads_code() const override { return false; }

  void check(const AuditContext& context, Findings& findings) const override {
    const std::string document = document_path(context.contract_file);
    std::ifstream in(document);
    if (!in) {
      add(findings, contract_line(context.contract_file, "\"version\""), "the contract has no CONTRACT.md at " + document);
      return;
    }
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    check_entry_points(context, document, read_table(lines, kEntryPointsHeading), findings);
    check_tables(context, document, read_table(lines, kTablesHeading), findings);
  }

 private:
  void add(Findings& findings, SourceLocation where, std::string message) const {
    findings.add({std::string(id()), severity(), std::move(where), std::move(message), {}});
  }

  // The contract's prose: CONTRACT.md at the top of the contract's repository (the folder above
  // rules/), or beside a contract file kept in another folder.
  static std::string document_path(const std::string& contract_file) {
    const std::filesystem::path folder = std::filesystem::path(contract_file).parent_path();
    return ((folder.filename() == "rules" ? folder.parent_path() : folder) / kDocument).string();
  }

  bool table_present(const std::string& document, const Table& table, const char* heading,
                     const std::vector<std::string>& columns, Findings& findings) const {
    if (table.heading_line == 0) {
      add(findings, {document, 1, 1}, std::string("CONTRACT.md has no heading \"") + heading + "\" with its table");
      return false;
    }
    for (const std::string& column : columns) {
      if (std::find(table.headers.begin(), table.headers.end(), column) != table.headers.end()) continue;
      add(findings, {document, table.heading_line, 1},
          std::string("the table under \"") + heading + "\" has no column \"" + column + "\"");
      return false;
    }
    return true;
  }

  void check_entry_points(const AuditContext& context, const std::string& document, const Table& table,
                          Findings& findings) const {
    if (!table_present(document, table, kEntryPointsHeading, {"binary", "source", "guard", "categories", "status"},
                       findings)) {
      return;
    }
    std::set<std::string> documented;
    for (const Row& row : table.rows) {
      const std::string binary = row.cells.at("binary");
      documented.insert(binary);
      const contract::EntryPoint* entry = context.contract.find_entry_point_by_binary(binary);
      if (entry == nullptr) {
        add(findings, {document, row.line, 1},
            "CONTRACT.md lists entry point " + binary + ", which rules/contract.json does not");
        continue;
      }
      const std::set<std::string> categories(entry->categories.begin(), entry->categories.end());
      std::string differences;
      auto differ = [&](const char* what, const std::string& doc, const std::string& json) {
        if (doc != json) differences += std::string(differences.empty() ? "" : "; ") + what + " is \"" + doc +
                                        "\" here but \"" + json + "\" in rules/contract.json";
      };
      differ("source", row.cells.at("source"), entry->source);
      differ("guard", row.cells.at("guard"), entry->guard);
      differ("categories", joined(list_of(row.cells.at("categories"))), joined(categories));
      differ("status", row.cells.at("status"), status_name(entry->status));
      if (!differences.empty()) add(findings, {document, row.line, 1}, "entry point " + binary + ": " + differences);
    }
    for (const contract::EntryPoint& entry : context.contract.entry_points) {
      if (documented.count(entry.binary) != 0) continue;
      add(findings, contract_line(context.contract_file, "\"" + entry.binary + "\"", "\"entry_points\""),
          "entry point " + entry.binary + " is missing from CONTRACT.md's \"Entry points\" table");
    }
  }

  void check_tables(const AuditContext& context, const std::string& document, const Table& table,
                    Findings& findings) const {
    if (!table_present(document, table, kTablesHeading, {"table", "columns", "natural key", "protected by"},
                       findings)) {
      return;
    }
    std::set<std::string> documented;
    for (const Row& row : table.rows) {
      const std::string name = row.cells.at("table");
      documented.insert(name);
      const contract::ReferenceTable* entry = context.contract.find_reference_table(name);
      if (entry == nullptr) {
        add(findings, {document, row.line, 1},
            "CONTRACT.md allows table " + name + ", which rules/contract.json reference_data does not");
        continue;
      }
      std::set<std::string> protecting;
      for (const contract::ProtectingReference& by : entry->protected_by) protecting.insert(by.table + "." + by.column);
      std::string differences;
      auto differ = [&](const char* what, const std::string& doc, const std::string& json) {
        if (doc != json) differences += std::string(differences.empty() ? "" : "; ") + what + " are \"" + doc +
                                        "\" here but \"" + json + "\" in rules/contract.json";
      };
      differ("columns", joined(list_of(row.cells.at("columns"))),
             joined(std::set<std::string>(entry->columns.begin(), entry->columns.end())));
      differ("natural key", joined(list_of(row.cells.at("natural key"))), joined({entry->natural_key}));
      differ("protecting references", joined(list_of(row.cells.at("protected by"))), joined(protecting));
      if (!differences.empty()) add(findings, {document, row.line, 1}, "table " + name + ": " + differences);
    }
    for (const contract::ReferenceTable& entry : context.contract.reference_data) {
      if (documented.count(entry.table) != 0) continue;
      add(findings, contract_line(context.contract_file, "\"table\": \"" + entry.table + "\"", "\"reference_data\""),
          "reference-data table " + entry.table + " is missing from CONTRACT.md's \"" + kTablesHeading + "\" table");
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_contract_doc_rule() { return std::make_unique<ContractDocRule>(); }

}  // namespace pmc::audit
