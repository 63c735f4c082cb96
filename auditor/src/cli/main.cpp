// pmc-audit: proves from the code that only the contract's entry points can mutate a database,
// that each runs its CI guard first, and that connections go through the validating connect.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "audit/collection.hpp"
#include "audit/judge.hpp"
#include "audit/shard_file.hpp"
#include "cache/facts_cache.hpp"
#include "pmc/cli.hpp"
#include "pmc/contract.hpp"
#include "pmc/error.hpp"
#include "report/reports.hpp"
#include "support/sha256.hpp"
#include "tooling/clang_frontend.hpp"

namespace {

namespace fs = std::filesystem;
using namespace pmc::audit;

constexpr char kProgram[] = "pmc-audit";

enum class Format { Text, Json, Sarif };

struct Options {
  std::string build_dir;
  std::vector<std::string> paths;
  std::string contract;
  Format format = Format::Text;
  unsigned jobs = 1;
  std::string cache_dir;
  std::string shard;
  std::string facts_out;
  std::vector<std::string> merge;
  bool warnings_as_errors = false;
  bool list_rules = false;
  std::vector<std::string> rules;  // empty: every rule
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

pmc::contract::Contract load_contract(const fs::path& path, std::string& text) {
  pmc::audit::require_readable(path);
  text = read_text(path);
  try {
    return pmc::contract::parse(text, path.string());
  } catch (const pmc::contract::ContractError& error) {
    const std::string where = error.origin() + (error.line() > 0 ? ":" + std::to_string(error.line()) : "");
    throw pmc::Failure("PMC-A007", "the contract " + where + " is not valid: " + error.problem(), {},
                       "Fix rules/contract.json (see CONTRACT.md) or give another with --contract.",
                       pmc::ExitCode::UsageOrInput);
  }
}

// The repository's C/C++ files under the given paths, less the contract's excluded paths.
std::vector<std::string> audited_files(const Repository& repository,
                                       const pmc::contract::Contract& contract,
                                       const std::vector<std::string>& prefixes) {
  std::vector<std::string> files;
  for (const std::string& file : repository.files()) {
    if (source_kind(file) == SourceKind::Other || contract.is_excluded(file)) continue;
    const bool selected = std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& prefix) {
      return prefix.empty() || file == prefix || file.rfind(prefix + "/", 0) == 0;
    });
    if (selected) files.push_back(file);
  }
  return files;
}

std::vector<std::string> repository_prefixes(const Repository& repository,
                                             const std::vector<fs::path>& paths) {
  std::vector<std::string> prefixes;
  for (const fs::path& path : paths) {
    const std::string absolute = fs::canonical(path).string();
    if (absolute == repository.root().string()) {
      prefixes.emplace_back();
      continue;
    }
    const std::string relative = repository.relative(absolute);
    if (relative.empty()) {
      throw pmc::Failure("PMC-A002", path.string() + " is outside the repository " + repository.root().string(), {},
                         "Give paths of one repository.", pmc::ExitCode::UsageOrInput);
    }
    prefixes.push_back(relative);
  }
  return prefixes;
}

void require_known_rules(const std::vector<std::string>& ids) {
  const std::vector<RuleInfo> known = rule_infos();
  for (const std::string& id : ids) {
    const bool found = std::any_of(known.begin(), known.end(), [&](const RuleInfo& rule) { return rule.id == id; });
    if (!found) {
      throw pmc::Failure("PMC-A021", "--rules names an unknown rule '" + id + "'", {},
                         "pmc-audit --list-rules prints the rule ids.", pmc::ExitCode::UsageOrInput);
    }
  }
}

int audit(const Options& options) {
  require_known_rules(options.rules);
  std::vector<fs::path> paths(options.paths.begin(), options.paths.end());
  if (paths.empty()) paths.push_back(fs::current_path());
  for (const fs::path& path : paths) require_readable(path);
  const Repository repository = Repository::open(paths.front());
  const std::vector<std::string> prefixes = repository_prefixes(repository, paths);

  std::string contract_text;
  const fs::path contract_path =
      options.contract.empty() ? repository.root() / "rules" / "contract.json" : fs::path(options.contract);
  const pmc::contract::Contract contract = load_contract(contract_path, contract_text);
  const std::vector<std::string> files = audited_files(repository, contract, prefixes);

  // A selection of text rules alone (--rules) needs no unit parsed and no compile_commands.json.
  const bool reads_code = selection_reads_code(options.rules);
  std::vector<CollectedUnit> units;
  if (reads_code) {
    const LoadedFrontend clang = load_clang_frontend();
    const std::unique_ptr<CompileCommands> database = clang.frontend.load_commands(
        options.build_dir.empty() ? repository.root() : fs::path(options.build_dir));
    const std::string identity =
        sha256_hex(auditor_identity(clang.frontend.collector_identity(), clang.module) + "\n" + contract_text);
    FactsCache cache(options.cache_dir.empty() ? database->path().parent_path() / "pmc-audit-cache"
                                               : fs::path(options.cache_dir),
                     identity);
    const CollectionPlan plan{repository, files, clang.frontend, *database, collect_options(contract),
                              options.jobs, &cache};
    if (!options.merge.empty()) {
      units = merge_shard_files(std::vector<fs::path>(options.merge.begin(), options.merge.end()), identity);
    } else {
      const std::vector<UnitCommand> commands = source_units(plan);
      if (!options.shard.empty()) {
        const Shard shard = parse_shard(options.shard);
        const std::vector<CollectedUnit> slice = collect_units(plan, shard_of(commands, shard));
        write_shard_file(options.facts_out, shard, plan_key(commands), identity, slice);
        std::cerr << kProgram << ": shard " << shard.index << "/" << shard.count << ": facts of "
                  << slice.size() << " units written to " << options.facts_out << "\n";
        return 0;
      }
      units = collect_units(plan, commands);
    }
    std::vector<CollectedUnit> headers = collect_orphan_headers(plan, units);
    units.insert(units.end(), std::make_move_iterator(headers.begin()), std::make_move_iterator(headers.end()));
  }

  std::vector<UnitFacts> facts;
  AuditSummary summary;
  summary.files = reads_code ? files.size() : 0;
  summary.units = units.size();
  summary.excluded_paths = contract.excluded_paths;
  for (CollectedUnit& unit : units) {
    summary.cached += unit.cached ? 1 : 0;
    summary.interpolated += unit.command.interpolated ? 1 : 0;
    facts.push_back(std::move(unit.facts));
  }
  const std::vector<Finding> findings =
      judge(contract, fs::absolute(contract_path).lexically_normal().string(), repository, facts, options.rules);
  const std::vector<RuleInfo> rules = rule_infos();
  const ReportInput input{findings, repository, summary, rules, PMC_VERSION};
  switch (options.format) {
    case Format::Text: write_text(std::cout, input); break;
    case Format::Json: write_json(std::cout, input); break;
    case Format::Sarif: write_sarif(std::cout, input); break;
  }
  if (options.format != Format::Text) std::cerr << summary_line(findings, summary) << "\n";
  std::cout.flush();

  const bool errors = std::any_of(findings.begin(), findings.end(),
                                  [](const Finding& f) { return f.severity == Severity::Error; });
  const bool failing = errors || (options.warnings_as_errors && !findings.empty());
  return failing ? 1 : 0;
}

void list_rules() {
  for (const RuleInfo& rule : rule_infos()) {
    std::cout << rule.id << " (" << to_string(rule.severity) << "): " << rule.summary << "\n  "
              << rule.explanation << "\n\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  pmc::cli::CommandLine command_line(
      kProgram,
      "Audits every C/C++ file of a git repository (less the contract's excluded paths) against "
      "the production mutation contract (rules/contract.json). Exit 0: no findings; 1: "
      "findings; 2: usage or input error.");
  CLI::App& app = command_line.app();
  Options options;
  static const std::map<std::string, Format> kFormats = {
      {"text", Format::Text}, {"json", Format::Json}, {"sarif", Format::Sarif}};
  app.add_option("paths", options.paths,
                 "files or directories of the repository to audit (default: the current directory)")
      ->type_name("PATH");
  app.add_option("-p,--build-dir", options.build_dir,
                 "the build directory holding compile_commands.json (default: the repository root)")
      ->type_name("DIR");
  app.add_option("--contract", options.contract, "the contract (default: <repository>/rules/contract.json)")
      ->type_name("FILE");
  app.add_option("--format", options.format, "text (clang style, default), json or sarif")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case).description("text|json|sarif"));
  app.add_option("-j,--jobs", options.jobs, "units parsed in parallel (default 1)")
      ->check(CLI::Range(1u, 256u));
  app.add_option("--cache-dir", options.cache_dir,
                 "where per-unit facts are kept between runs (default: <build dir>/pmc-audit-cache)")
      ->type_name("DIR");
  CLI::Option* shard = app.add_option("--shard", options.shard,
                                      "collect only slice K of N into --facts-out; judge later with --merge")
                           ->type_name("K/N");
  CLI::Option* facts_out = app.add_option("--facts-out", options.facts_out, "the shard's facts file")
                               ->type_name("FILE");
  shard->needs(facts_out);
  facts_out->needs(shard);
  app.add_option("--merge", options.merge, "judge the facts files of every shard of one run")
      ->type_name("FILE")
      ->excludes(shard);
  app.add_flag("--warnings-as-errors", options.warnings_as_errors, "exit 1 on warnings too");
  app.add_option("--rules", options.rules, "run only these rules (ids as --list-rules prints them)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("ID");
  app.add_flag("--list-rules", options.list_rules, "print every rule with its explanation");
  if (const std::optional<int> done = command_line.parse(argc, argv)) return *done;
  if (options.list_rules) {
    list_rules();
    return 0;
  }
  return pmc::cli::run(kProgram, [&] { return audit(options); });
}
