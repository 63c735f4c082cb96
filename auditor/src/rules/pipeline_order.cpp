// pipeline: the deploy pipeline script and every CI workflow that runs a pmc program run the
// contract's steps (predeploy check -> backup -> resolve -> deploy) in order, none left out.
#include <algorithm>
#include <memory>
#include <optional>

#include "rules/contract_line.hpp"
#include "rules/rule.hpp"
#include "shell/script_sources.hpp"
#include "text/text_files.hpp"

namespace pmc::audit {
namespace {

bool glob_match(std::string_view pattern, std::string_view path) {
  if (pattern.empty()) return path.empty();
  if (pattern[0] == '*') {
    for (std::size_t i = 0; i <= path.size(); ++i) {
      if (glob_match(pattern.substr(1), path.substr(i))) return true;
      if (i < path.size() && path[i] == '/') break;
    }
    return false;
  }
  if (path.empty() || (pattern[0] != '?' && pattern[0] != path[0]) || (pattern[0] == '?' && path[0] == '/')) {
    return false;
  }
  return glob_match(pattern.substr(1), path.substr(1));
}

struct Invocation {
  std::optional<std::size_t> step;  // nullopt: the pipeline script itself (every step, in order)
  ShellWord word;
};

class PipelineRule : public Rule {
 public:
  std::string_view id() const override { return "pipeline"; }
  std::string_view summary() const override {
    return "the deploy pipeline runs predeploy check, backup, resolve and deploy in that order";
  }
  std::string_view explanation() const override {
    return "The contract's pipeline script and every CI workflow file matching "
           "pipeline.ci_workflow_globs that runs one of the contract's programs (an entry point, a "
           "read-only helper, or the pipeline script) are split into commands as a shell would "
           "(see script-entry-point). Every word that names a step's command (pipeline.steps: "
           "pmc-check-failed-migrations, pg_dump, pmc-resolve-applied-migrations, pmc-deploy-db), "
           "as the command or as an argument of a wrapper (run_step pg_dump, \"$(pmc_program "
           "pmc-deploy-db)\"), is that step run, in file order. Each step must be the next one, a "
           "repeat of the last, or the first (a new round); a call of the pipeline script is a "
           "whole round. The first step out of order is a finding; in the pipeline script, so is a "
           "step that never runs (reported at line 1), and a missing script (reported at the "
           "contract). Reported at the step's word.";
  }
  bool reads_code() const override { return false; }

  void check(const AuditContext& context, Findings& findings) const override {
    const contract::Pipeline& pipeline = context.contract.pipeline;
    if (pipeline.steps.empty()) return;
    std::string text;
    const std::string script = context.repository.absolute(pipeline.script);
    if (read_text_file(script, text) != TextRead::Text) {
      findings.add({std::string(id()), severity(), contract_line(context.contract_file, "\"" + pipeline.script + "\""),
                    "the contract's pipeline script " + pipeline.script + " cannot be read", {}});
    } else {
      check_file(context, pipeline.script, text, true, findings);
    }
    for (const std::string& file : context.repository.files()) {
      if (file == pipeline.script || context.contract.is_excluded(file)) continue;
      const bool workflow = std::any_of(pipeline.ci_workflow_globs.begin(), pipeline.ci_workflow_globs.end(),
                                        [&](const std::string& glob) { return glob_match(glob, file); });
      if (!workflow || read_text_file(context.repository.absolute(file), text) != TextRead::Text) continue;
      check_file(context, file, text, false, findings);
    }
  }

 private:
  void check_file(const AuditContext& context, const std::string& file, const std::string& text, bool is_script,
                  Findings& findings) const {
    const contract::Pipeline& pipeline = context.contract.pipeline;
    const std::string script_name = command_name(pipeline.script);
    std::vector<Invocation> invocations;
    bool runs_program = is_script;
    for (const ShellCommand& command : file_commands(file, text)) {
      for (const ShellWord& word : command.words) {
        const std::string name = command_name(word.text);
        if (!is_script && (name == script_name && word.text.find(pipeline.script) != std::string::npos)) {
          invocations.push_back({std::nullopt, word});
          runs_program = true;
          continue;
        }
        for (std::size_t k = 0; k < pipeline.steps.size(); ++k) {
          if (name == pipeline.steps[k].command) invocations.push_back({k, word});
        }
        runs_program = runs_program || is_contract_program(context.contract, name);
      }
    }
    if (!runs_program) return;
    const std::string absolute = context.repository.absolute(file);
    const std::size_t last = pipeline.steps.size() - 1;
    std::optional<std::size_t> done;
    std::vector<bool> seen(pipeline.steps.size(), false);
    bool reported = false;
    for (const Invocation& invocation : invocations) {
      if (!invocation.step) {
        done = last;
        std::fill(seen.begin(), seen.end(), true);
        continue;
      }
      const std::size_t k = *invocation.step;
      seen[k] = true;
      const bool in_order = k == 0 || (done && (k == *done || k == *done + 1));
      if (in_order) {
        done = k;
        continue;
      }
      if (reported) continue;
      reported = true;
      const std::size_t expected = done ? std::min(*done + 1, last) : 0;
      findings.add({std::string(id()), severity(), {absolute, invocation.word.line, invocation.word.column},
                    "step '" + pipeline.steps[k].name + "' (" + pipeline.steps[k].command + ") runs here, but the step " +
                        (done && *done == last ? "after a finished round must be '" + pipeline.steps[0].name + "'"
                                               : "due is '" + pipeline.steps[expected].name + "' (" +
                                                     pipeline.steps[expected].command + ")") +
                        "; the pipeline runs " + order(pipeline) + " in that order",
                    {}});
    }
    if (!is_script) return;
    for (std::size_t k = 0; k < pipeline.steps.size(); ++k) {
      if (seen[k]) continue;
      findings.add({std::string(id()), severity(), {absolute, 1, 1},
                    "the pipeline script never runs step '" + pipeline.steps[k].name + "' (" +
                        pipeline.steps[k].command + "); the pipeline runs " + order(pipeline) + " in that order",
                    {}});
    }
  }

  static bool is_contract_program(const contract::Contract& contract, const std::string& name) {
    return contract.find_entry_point_by_binary(name) != nullptr ||
           std::any_of(contract.read_only_helpers.begin(), contract.read_only_helpers.end(),
                       [&](const contract::ReadOnlyHelper& helper) { return helper.binary == name; });
  }

  static std::string order(const contract::Pipeline& pipeline) {
    std::string text;
    for (const contract::PipelineStep& step : pipeline.steps) text += (text.empty() ? "" : " -> ") + step.name;
    return text;
  }
};

}  // namespace

std::unique_ptr<Rule> make_pipeline_rule() { return std::make_unique<PipelineRule>(); }

}  // namespace pmc::audit
