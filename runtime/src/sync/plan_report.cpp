// Renders a plan: per table, each create, update (column: old -> new) and protected row, then
// the unchanged and prod-only counts, then one summary line.
#include "pmc/sync/plan_report.hpp"

#include <sstream>

namespace pmc::sync {
namespace {

std::string shown(const Value& value) {
  return value ? nlohmann::json(*value).dump(-1, ' ', false,
                                             nlohmann::json::error_handler_t::replace)
               : "NULL";
}

std::string changes_text(const std::vector<ColumnChange>& changes) {
  std::string text;
  for (const ColumnChange& change : changes) {
    if (!text.empty()) text += "; ";
    text += change.column + ": " + shown(change.before) + " -> " + shown(change.after);
  }
  return text;
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

void row_line(std::ostringstream& out, const char* action, const std::string& key,
              const std::string& what) {
  out << "  " << action << std::string(11 - std::string(action).size(), ' ') << shown(key)
      << "  " << what << '\n';
}

}  // namespace

std::string plan_as_text(const Plan& plan) {
  std::ostringstream out;
  for (const TablePlan& table : plan.tables) {
    out << table.table << ": " << table.creates.size() << " to create, " << table.updates.size()
        << " to update, " << table.protected_rows.size() << " protected (skipped), "
        << table.unchanged.size() << " unchanged, " << table.prod_only.size()
        << " only in prod (left alone)\n";
    for (const RowCreate& create : table.creates) {
      std::string values;
      for (std::size_t i = 0; i < table.columns.size(); ++i) {
        values += (i > 0 ? ", " : "") + table.columns[i] + "=" + shown(create.values[i]);
      }
      row_line(out, "create", create.key, values);
    }
    for (const RowUpdate& update : table.updates) {
      row_line(out, "update", update.key, changes_text(update.changes));
    }
    for (const RowProtected& skipped : table.protected_rows) {
      std::string reasons;
      for (const std::string& reason : skipped.reasons) reasons += (reasons.empty() ? "" : ", ") + reason;
      row_line(out, "protected", skipped.key,
               "skipped, " + reasons + "; would change " + changes_text(skipped.changes));
    }
  }
  out << "Plan: " << plan.creates() << " to create, " << plan.updates() << " to update, "
      << plan.protected_rows() << " protected (skipped), " << plan.unchanged()
      << " unchanged; nothing is ever deleted.\n";
  if (!plan.writes_anything()) out << "Nothing to do: prod already has dev's reference data.\n";
  return out.str();
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
