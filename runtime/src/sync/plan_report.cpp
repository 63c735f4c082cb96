// Renders a plan: per table, each create, update (column: old -> new) and protected row, then
// the unchanged and prod-only counts, then one summary line.
#include "pmc/sync/plan_report.hpp"

#include <ostream>
#include <sstream>
#include <string_view>

namespace pmc::sync {
namespace {

constexpr std::size_t kFlushAt = std::size_t{64} << 10;

// A value as a JSON string literal (quotes, backslashes and control bytes escaped), so that
// blanks, "NULL" and line breaks inside values stay visible; SQL NULL prints as NULL. Written
// by hand: a plan of 100,000 rows renders half a million values.
void append_quoted(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
}

void append_shown(std::string& out, const Value& value) {
  if (value) {
    append_quoted(out, *value);
  } else {
    out += "NULL";
  }
}

void append_changes(std::string& out, const std::vector<ColumnChange>& changes) {
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (i > 0) out += "; ";
    out += changes[i].column;
    out += ": ";
    append_shown(out, changes[i].before);
    out += " -> ";
    append_shown(out, changes[i].after);
  }
}

// "  create     \"key\"  " and so on: the action padded to one width, then the quoted key.
void begin_row(std::string& out, std::string_view action, const std::string& key) {
  out += "  ";
  out += action;
  out.append(11 - action.size(), ' ');
  append_quoted(out, key);
  out += "  ";
}

nlohmann::json changes_json(const std::vector<ColumnChange>& changes) {
  nlohmann::json list = nlohmann::json::array();
  for (const ColumnChange& change : changes) {
    list.push_back({{"column", change.column},
                    {"old", change.before ? nlohmann::json(*change.before) : nullptr},
                    {"new", change.after ? nlohmann::json(*change.after) : nullptr}});
  }
  return list;
}

}  // namespace

void write_plan_text(std::ostream& stream, const Plan& plan) {
  // Rendered in pieces of about 64 KiB: a plan of 100,000 rows is megabytes of text.
  std::string out;
  out.reserve(kFlushAt + 4096);
  const auto flush_if_full = [&] {
    if (out.size() < kFlushAt) return;
    stream.write(out.data(), static_cast<std::streamsize>(out.size()));
    out.clear();
  };
  for (const TablePlan& table : plan.tables) {
    out += table.table + ": " + std::to_string(table.creates.size()) + " to create, " +
           std::to_string(table.updates.size()) + " to update, " +
           std::to_string(table.protected_rows.size()) + " protected (skipped), " +
           std::to_string(table.unchanged.size()) + " unchanged, " +
           std::to_string(table.prod_only.size()) + " only in prod (left alone)\n";
    for (const RowCreate& create : table.creates) {
      begin_row(out, "create", create.key);
      for (std::size_t i = 0; i < table.columns.size(); ++i) {
        if (i > 0) out += ", ";
        out += table.columns[i];
        out += '=';
        append_shown(out, create.values[i]);
      }
      out += '\n';
      flush_if_full();
    }
    for (const RowUpdate& update : table.updates) {
      begin_row(out, "update", update.key);
      append_changes(out, update.changes);
      out += '\n';
      flush_if_full();
    }
    for (const RowProtected& skipped : table.protected_rows) {
      begin_row(out, "protected", skipped.key);
      out += "skipped, ";
      for (std::size_t i = 0; i < skipped.reasons.size(); ++i) {
        out += (i > 0 ? ", " : "") + skipped.reasons[i];
      }
      out += "; would change ";
      append_changes(out, skipped.changes);
      out += '\n';
      flush_if_full();
    }
  }
  out += "Plan: " + std::to_string(plan.creates()) + " to create, " +
         std::to_string(plan.updates()) + " to update, " + std::to_string(plan.protected_rows()) +
         " protected (skipped), " + std::to_string(plan.unchanged()) +
         " unchanged; nothing is ever deleted.\n";
  if (!plan.writes_anything()) out += "Nothing to do: prod already has dev's reference data.\n";
  stream.write(out.data(), static_cast<std::streamsize>(out.size()));
}

std::string plan_as_text(const Plan& plan) {
  std::ostringstream text;
  write_plan_text(text, plan);
  return text.str();
}

nlohmann::json plan_as_json(const Plan& plan) {
  nlohmann::json tables = nlohmann::json::array();
  for (const TablePlan& table : plan.tables) {
    nlohmann::json creates = nlohmann::json::array();
    for (const RowCreate& create : table.creates) {
      nlohmann::json values = nlohmann::json::object();
      for (std::size_t i = 0; i < table.columns.size(); ++i) {
        values[table.columns[i]] = create.values[i] ? nlohmann::json(*create.values[i]) : nullptr;
      }
      creates.push_back({{"key", create.key}, {"values", values}});
    }
    nlohmann::json updates = nlohmann::json::array();
    for (const RowUpdate& update : table.updates) {
      updates.push_back(
          {{"key", update.key}, {"id", update.id}, {"changes", changes_json(update.changes)}});
    }
    nlohmann::json protected_rows = nlohmann::json::array();
    for (const RowProtected& skipped : table.protected_rows) {
      protected_rows.push_back({{"key", skipped.key},
                                {"id", skipped.id},
                                {"reasons", skipped.reasons},
                                {"changes", changes_json(skipped.changes)}});
    }
    tables.push_back({{"table", table.table},
                      {"create", creates},
                      {"update", updates},
                      {"protected", protected_rows},
                      {"unchanged", table.unchanged},
                      {"prod_only", table.prod_only}});
  }
  return {{"tables", tables},
          {"summary",
           {{"create", plan.creates()},
            {"update", plan.updates()},
            {"protected", plan.protected_rows()},
            {"unchanged", plan.unchanged()},
            {"writes_anything", plan.writes_anything()}}}};
}

}  // namespace pmc::sync
