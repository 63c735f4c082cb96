// Reads rules/contract.json v1 into pmc::contract::Contract, refusing anything incomplete,
// unknown or inconsistent, with the line of the offending key.
#include <algorithm>
#include <set>

#include <re2/re2.h>

#include "json_node.hpp"
#include "pmc/contract.hpp"

namespace pmc::contract {
namespace {

constexpr int kSupportedMajorVersion = 1;

template <typename T>
bool contains(const std::vector<T>& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string read_repo_path(const JsonNode& node) {
  std::string path = node.as_string();
  if (path.front() == '/' || path.find("..") != std::string::npos || path.find('\\') != std::string::npos) {
    node.fail(node.pointer() + " must be a relative repository path without \"..\", found \"" +
              path + "\"");
  }
  return path;
}

std::string read_version(const JsonNode& node) {
  std::string version = node.as_string();
  static const RE2 semver(R"((\d+)\.\d+\.\d+)");
  int major = 0;
  if (!RE2::FullMatch(version, semver, &major)) {
    node.fail("version must look like MAJOR.MINOR.PATCH, found \"" + version + "\"");
  }
  if (major != kSupportedMajorVersion) {
    node.fail("contract version " + version + " is not supported by this build (it reads " +
              std::to_string(kSupportedMajorVersion) + ".x)");
  }
  return version;
}

std::vector<Guard> read_guards(const JsonNode& node) {
  std::vector<Guard> guards;
  std::set<std::string> ids;
  for (const JsonNode& item : node.elements(false)) {
    item.expect_only_keys({"id", "function", "definition"});
    Guard guard{item.member("id").as_string(), item.member("function").as_string(),
                read_repo_path(item.member("definition"))};
    if (guard.id == "none") item.member("id").fail("\"none\" is reserved for removed programs");
    if (!ids.insert(guard.id).second) item.member("id").fail("guard id \"" + guard.id + "\" appears twice");
    if (guard.function.find("::") == std::string::npos) {
      item.member("function").fail("guard function must be fully qualified (ns::name), found \"" +
                                   guard.function + "\"");
    }
    guards.push_back(std::move(guard));
  }
  return guards;
}

Environment read_environment(const JsonNode& node) {
  node.expect_only_keys({"ci_variable", "ci_value", "expected_env_variable"});
  return {node.member("ci_variable").as_string(), node.member("ci_value").as_string(),
          node.member("expected_env_variable").as_string()};
}

EntryPointStatus read_status(const JsonNode& node) {
  std::string status = node.as_string();
  if (status == "active") return EntryPointStatus::Active;
  if (status == "deprecated") return EntryPointStatus::Deprecated;
  if (status == "removed") return EntryPointStatus::Removed;
  node.fail("status must be \"active\", \"deprecated\" or \"removed\", found \"" + status + "\"");
}

std::vector<EntryPoint> read_entry_points(const JsonNode& node, const Contract& contract) {
  std::vector<EntryPoint> entry_points;
  for (const JsonNode& item : node.elements(false)) {
    item.expect_only_keys(
        {"binary", "source", "guard", "categories", "status", "replaced_by", "spawns_processes"});
    EntryPoint entry;
    entry.binary = item.member("binary").as_string();
    entry.source = read_repo_path(item.member("source"));
    entry.guard = item.member("guard").as_string();
    entry.categories = item.member("categories").as_string_list(true);
    entry.status = read_status(item.member("status"));
    entry.spawns_processes = item.member("spawns_processes").as_bool();
    if (auto replaced = item.optional_member("replaced_by")) entry.replaced_by = replaced->as_string();

    for (std::size_t i = 0; i < entry.categories.size(); ++i) {
      if (!contains(contract.categories, entry.categories[i])) {
        item.member("categories").elements(true)[i].fail(
            "category \"" + entry.categories[i] + "\" is not one of the contract's categories");
      }
    }
    const bool removed = entry.status == EntryPointStatus::Removed;
    if (removed && entry.guard != "none") {
      item.member("guard").fail("a removed program has guard \"none\": it must exit before anything");
    }
    if (!removed && contract.find_guard(entry.guard) == nullptr) {
      item.member("guard").fail("guard \"" + entry.guard + "\" is not one of the contract's guards");
    }
    if (removed && !entry.categories.empty()) {
      item.member("categories").fail("a removed program may reach no category");
    }
    if (entry.status != EntryPointStatus::Active && entry.replaced_by.empty()) {
      item.fail(entry.binary + " is not active, so it must name its replacement in \"replaced_by\"");
    }
    if (entry.status != EntryPointStatus::Removed && entry.categories.empty()) {
      item.member("categories").fail(entry.binary + " is an entry point that may reach no category");
    }
    for (const EntryPoint& earlier : entry_points) {
      if (earlier.binary == entry.binary) item.member("binary").fail("binary \"" + entry.binary + "\" appears twice");
      if (earlier.source == entry.source) item.member("source").fail("source \"" + entry.source + "\" appears twice");
    }
    entry_points.push_back(std::move(entry));
  }
  for (std::size_t i = 0; i < entry_points.size(); ++i) {
    const std::string& replacement = entry_points[i].replaced_by;
    if (!replacement.empty() && replacement != entry_points[i].binary) {
      bool known = std::any_of(entry_points.begin(), entry_points.end(),
                               [&](const EntryPoint& e) { return e.binary == replacement; });
      if (known) continue;
    } else if (replacement.empty()) {
      continue;
    }
    node.elements(false)[i].member("replaced_by").fail(
        "replaced_by \"" + replacement + "\" must name another entry point of the contract");
  }
  return entry_points;
}

std::vector<ReadOnlyHelper> read_helpers(const JsonNode& node, const Contract& contract) {
  std::vector<ReadOnlyHelper> helpers;
  for (const JsonNode& item : node.elements(true)) {
    item.expect_only_keys({"binary", "source"});
    ReadOnlyHelper helper{item.member("binary").as_string(), read_repo_path(item.member("source"))};
    if (contract.find_entry_point_by_binary(helper.binary) ||
        contract.find_entry_point_by_source(helper.source)) {
      item.fail(helper.binary + " is listed both as an entry point and as a read-only helper");
    }
    helpers.push_back(std::move(helper));
  }
  return helpers;
}

ValidatingConnect read_validating_connect(const JsonNode& node) {
  node.expect_only_keys({"functions", "definition", "layer", "writable_functions"});
  ValidatingConnect connect{node.member("functions").as_string_list(false),
                            read_repo_path(node.member("definition")),
                            read_repo_path(node.member("layer")),
                            node.member("writable_functions").as_string_list(false)};
  if (connect.definition.rfind(connect.layer, 0) != 0) {
    node.member("definition").fail("the validating connect must be defined inside the database layer " + connect.layer);
  }
  return connect;
}

Sinks read_sinks(const JsonNode& node) {
  node.expect_only_keys({"sql_functions", "connection_functions", "spawn_functions",
                         "database_tools", "dynamic_lookup_functions",
                         "state_changing_sql_functions"});
  return {node.member("sql_functions").as_string_list(false),
          node.member("connection_functions").as_string_list(false),
          node.member("spawn_functions").as_string_list(false),
          node.member("database_tools").as_string_list(false),
          node.member("dynamic_lookup_functions").as_string_list(true),
          node.member("state_changing_sql_functions").as_string_list(true)};
}

Bypass read_bypass(const JsonNode& node) {
  node.expect_only_keys({"name_patterns", "flag_patterns"});
  Bypass bypass{node.member("name_patterns").as_string_list(false),
                node.member("flag_patterns").as_string_list(false)};
  static const RE2 name_shape(R"([A-Za-z0-9_.*]+)");
  static const RE2 flag_shape(R"(--[a-z0-9][a-z0-9-]*\*?)");
  auto names = node.member("name_patterns").elements(false);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!RE2::FullMatch(bypass.name_patterns[i], name_shape)) {
      names[i].fail("name pattern \"" + bypass.name_patterns[i] +
                    "\" may hold only letters, digits, '_', '.' and '*'");
    }
  }
  auto flags = node.member("flag_patterns").elements(false);
  for (std::size_t i = 0; i < flags.size(); ++i) {
    if (!RE2::FullMatch(bypass.flag_patterns[i], flag_shape)) {
      flags[i].fail("flag pattern \"" + bypass.flag_patterns[i] +
                    "\" must look like --name or --prefix*");
    }
  }
  return bypass;
}

std::vector<ReferenceTable> read_reference_data(const JsonNode& node) {
  node.expect_only_keys({"tables"});
  std::vector<ReferenceTable> tables;
  for (const JsonNode& item : node.member("tables").elements(false)) {
    item.expect_only_keys(
        {"table", "key_column", "natural_key", "columns", "references", "protected_by"});
    ReferenceTable table;
    table.table = item.member("table").as_string();
    table.key_column = item.member("key_column").as_string();
    table.natural_key = item.member("natural_key").as_string();
    table.columns = item.member("columns").as_string_list(false);
    if (!contains(table.columns, table.natural_key)) {
      item.member("natural_key").fail("natural key \"" + table.natural_key +
                                      "\" must be one of the table's columns");
    }
    if (contains(table.columns, table.key_column)) {
      item.member("key_column").fail("key column \"" + table.key_column +
                                     "\" is assigned by each database and cannot be writable");
    }
    for (const JsonNode& link : item.member("references").elements(true)) {
      link.expect_only_keys({"column", "table"});
      ReferenceLink ref{link.member("column").as_string(), link.member("table").as_string()};
      if (!contains(table.columns, ref.column)) {
        link.member("column").fail("reference column \"" + ref.column + "\" is not a writable column of " + table.table);
      }
      bool earlier = std::any_of(tables.begin(), tables.end(),
                                 [&](const ReferenceTable& t) { return t.table == ref.table; });
      if (!earlier) {
        link.member("table").fail("referenced table \"" + ref.table +
                                  "\" must be an allowlisted table listed before " + table.table);
      }
      table.references.push_back(std::move(ref));
    }
    for (const JsonNode& guard : item.member("protected_by").elements(true)) {
      guard.expect_only_keys({"table", "column"});
      table.protected_by.push_back(
          {guard.member("table").as_string(), guard.member("column").as_string()});
    }
    for (const ReferenceTable& earlier : tables) {
      if (earlier.table == table.table) item.member("table").fail("table \"" + table.table + "\" appears twice");
    }
    tables.push_back(std::move(table));
  }
  return tables;
}

Pipeline read_pipeline(const JsonNode& node) {
  node.expect_only_keys({"script", "steps", "ci_workflow_globs"});
  Pipeline pipeline;
  pipeline.script = read_repo_path(node.member("script"));
  std::set<std::string> names;
  for (const JsonNode& item : node.member("steps").elements(false)) {
    item.expect_only_keys({"name", "command"});
    PipelineStep step{item.member("name").as_string(), item.member("command").as_string()};
    if (!names.insert(step.name).second) item.member("name").fail("step \"" + step.name + "\" appears twice");
    pipeline.steps.push_back(std::move(step));
  }
  pipeline.ci_workflow_globs = node.member("ci_workflow_globs").as_string_list(true);
  return pipeline;
}

DynamicSql read_dynamic_sql(const JsonNode& node, const Contract& contract) {
  node.expect_only_keys({"sql_functions", "builders"});
  DynamicSql dynamic;
  dynamic.sql_functions = node.member("sql_functions").as_string_list(true);
  std::set<std::string> categories;
  for (const JsonNode& item : node.member("builders").elements(true)) {
    item.expect_only_keys({"category", "functions"});
    SqlBuilders builders{item.member("category").as_string(), item.member("functions").as_string_list(false)};
    if (!contains(contract.categories, builders.category)) {
      item.member("category").fail("category \"" + builders.category + "\" is not one of the contract's categories");
    }
    if (!categories.insert(builders.category).second) {
      item.member("category").fail("category \"" + builders.category + "\" appears twice");
    }
    dynamic.builders.push_back(std::move(builders));
  }
  return dynamic;
}

}  // namespace

Contract parse(std::string_view json_text, const std::string& origin) {
  LocatedJson document = parse_located_json(json_text, origin);
  JsonNode root(document, document.value, "", origin);
  root.expect_only_keys({"version", "categories", "guards", "environment", "entry_points",
                         "read_only_helpers", "validating_connect", "sinks", "bypass",
                         "reference_data", "pipeline", "dynamic_sql", "migrations_dir",
                         "excluded_paths"});
  Contract contract;
  contract.version = read_version(root.member("version"));
  contract.categories = root.member("categories").as_string_list(false);
  contract.guards = read_guards(root.member("guards"));
  contract.environment = read_environment(root.member("environment"));
  contract.entry_points = read_entry_points(root.member("entry_points"), contract);
  contract.read_only_helpers = read_helpers(root.member("read_only_helpers"), contract);
  contract.validating_connect = read_validating_connect(root.member("validating_connect"));
  contract.sinks = read_sinks(root.member("sinks"));
  contract.bypass = read_bypass(root.member("bypass"));
  contract.reference_data = read_reference_data(root.member("reference_data"));
  contract.pipeline = read_pipeline(root.member("pipeline"));
  if (auto dynamic = root.optional_member("dynamic_sql")) contract.dynamic_sql = read_dynamic_sql(*dynamic, contract);
  contract.migrations_dir = read_repo_path(root.member("migrations_dir"));
  auto excluded = root.member("excluded_paths");
  for (const JsonNode& path : excluded.elements(true)) read_repo_path(path);
  contract.excluded_paths = excluded.as_string_list(true);
  return contract;
}

}  // namespace pmc::contract
