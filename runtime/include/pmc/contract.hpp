// The production mutation contract as data: what rules/contract.json says, loaded and validated.
// This library knows JSON and nothing else (no libpq, no Clang) so that the runtime and the
// auditor can both use it without depending on each other.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pmc::contract {

struct Guard {
  std::string id;          // "ci-only", "ci-only-when-applying"
  std::string function;    // fully qualified: pmc::guard::enforce_ci_only_execution
  std::string definition;  // repository path of the one source file that defines it
};

enum class EntryPointStatus { Active, Deprecated, Removed };

struct EntryPoint {
  std::string binary;
  std::string source;  // repository path of the file holding main()
  std::string guard;   // a Guard::id, or "none" for a removed program
  std::vector<std::string> categories;
  EntryPointStatus status = EntryPointStatus::Active;
  std::string replaced_by;  // required unless active
  bool spawns_processes = false;
};

struct ReadOnlyHelper {
  std::string binary;
  std::string source;
};

struct Environment {
  std::string ci_variable;
  std::string ci_value;
  std::string expected_env_variable;
};

struct ValidatingConnect {
  std::vector<std::string> functions;
  std::string definition;
  std::string layer;  // the runtime's database layer: the only code that calls libpq itself
  // The layer's functions that hand out a connection able to write; reaching one is a mutation
  // for pmc-audit's entry-points rule even before any category is reached.
  std::vector<std::string> writable_functions;
};

struct Sinks {
  std::vector<std::string> sql_functions;
  std::vector<std::string> connection_functions;
  std::vector<std::string> spawn_functions;
  std::vector<std::string> database_tools;
  std::vector<std::string> dynamic_lookup_functions;
  std::vector<std::string> state_changing_sql_functions;
};

struct Bypass {
  std::vector<std::string> name_patterns;
  std::vector<std::string> flag_patterns;
};

struct ReferenceLink {  // column of this table that holds the key of another allowlisted table
  std::string column;
  std::string table;
};

struct ProtectingReference {  // a row referenced from table.column must not be changed
  std::string table;
  std::string column;
};

struct ReferenceTable {
  std::string table;
  std::string key_column;
  std::string natural_key;
  std::vector<std::string> columns;
  std::vector<ReferenceLink> references;
  std::vector<ProtectingReference> protected_by;
};

struct PipelineStep {
  std::string name;
  std::string command;
};

struct Pipeline {
  std::string script;
  std::vector<PipelineStep> steps;
  std::vector<std::string> ci_workflow_globs;
};

// Where SQL built at run time may come from, per mutation category (pmc-audit's sql-dynamic):
// the runtime's functions that take SQL text, and each category's approved builders (a class,
// every member of which counts, or a function). Absent: no builder, every dynamic SQL is judged.
struct SqlBuilders {
  std::string category;
  std::vector<std::string> functions;
};

struct DynamicSql {
  std::vector<std::string> sql_functions;
  std::vector<SqlBuilders> builders;
};

struct Contract {
  std::string version;
  std::vector<std::string> categories;
  std::vector<Guard> guards;
  Environment environment;
  std::vector<EntryPoint> entry_points;
  std::vector<ReadOnlyHelper> read_only_helpers;
  ValidatingConnect validating_connect;
  Sinks sinks;
  Bypass bypass;
  std::vector<ReferenceTable> reference_data;
  Pipeline pipeline;
  DynamicSql dynamic_sql;
  std::string migrations_dir;
  std::vector<std::string> excluded_paths;

  const EntryPoint* find_entry_point_by_source(std::string_view repo_path) const;
  const EntryPoint* find_entry_point_by_binary(std::string_view binary) const;
  const Guard* find_guard(std::string_view id) const;
  const ReferenceTable* find_reference_table(std::string_view table) const;
  bool is_excluded(std::string_view repo_path) const;
};

// A contract file that cannot be used: where (origin and 1-based line, 0 when unknown) and why.
class ContractError : public std::runtime_error {
 public:
  ContractError(std::string origin, int line, std::string problem);
  const std::string& origin() const { return origin_; }
  int line() const { return line_; }
  const std::string& problem() const { return problem_; }

 private:
  std::string origin_;
  int line_;
  std::string problem_;
};

// Parses and validates; `origin` names the input in errors (a path, or "<embedded>").
Contract parse(std::string_view json_text, const std::string& origin);
Contract load_file(const std::filesystem::path& path);

// The contract compiled into this binary at build time; a deployed binary cannot be pointed at
// a looser copy.
const Contract& embedded();
std::string_view embedded_text();

}  // namespace pmc::contract
