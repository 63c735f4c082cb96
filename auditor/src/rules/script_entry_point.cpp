// script-entry-point: only the contract's pipeline script runs the database tools (psql,
// pg_restore, dropdb, createdb, prisma db execute|push, prisma migrate).
#include <algorithm>
#include <memory>

#include "rules/rule.hpp"
#include "shell/script_sources.hpp"
#include "text/text_files.hpp"

namespace pmc::audit {
namespace {

// Why the command is a database entry point, or "" when it is not.
std::string database_tool_use(const ShellCommand& command, const std::vector<std::string>& tools) {
  const std::string name = command_name(command.command_word().text);
  if (std::find(tools.begin(), tools.end(), name) == tools.end()) return {};
  if (name != "prisma") return "'" + name + "'";
  std::vector<std::string> arguments;  // the subcommand words, options left out
  for (std::size_t i = command.command + 1; i < command.words.size(); ++i) {
    const std::string& word = command.words[i].text;
    if (word.rfind('-', 0) == 0) {
      if ((word == "--schema" || word == "--config") && i + 1 < command.words.size()) ++i;
      continue;
    }
    arguments.push_back(word);
  }
  if (!arguments.empty() && arguments[0] == "migrate") {
    return "'prisma migrate" + (arguments.size() > 1 ? " " + arguments[1] : std::string()) + "'";
  }
  if (arguments.size() >= 2 && arguments[0] == "db" && (arguments[1] == "execute" || arguments[1] == "push")) {
    return "'prisma db " + arguments[1] + "'";
  }
  return {};
}

class ScriptEntryPointRule : public Rule {
 public:
  std::string_view id() const override { return "script-entry-point"; }
  std::string_view summary() const override {
    return "only the contract's pipeline script runs psql, pg_restore, dropdb, createdb or prisma migrate";
  }
  std::string_view explanation() const override {
    return "The repository's scripts (shell files by extension or #! line, CI YAML run: and "
           "GitLab script: blocks, Makefile recipes, Dockerfile RUN lines, package.json scripts; "
           "the text rules' files, so Markdown, CONTRACT.md, rules/ and the excluded paths are not "
           "read) are split into commands as a shell would: comments and here-document bodies "
           "skipped, $(…), `…` and sh -c '…' read as commands, assignments and launchers (sudo, "
           "env, exec, command, nohup, timeout, xargs, npx, yarn, pnpm, npm exec …) looked "
           "through. A command that runs one of the contract's database tools (psql, pg_restore, "
           "dropdb, createdb; prisma only as db execute, db push or migrate) is an unapproved entry "
           "point unless the file is the contract's pipeline script. A tool named through a "
           "variable, a shell function or another language's process call is not seen. Reported "
           "at the command word.";
  }
  bool reads_code() const override { return false; }

  void check(const AuditContext& context, Findings& findings) const override {
    std::string text;
    for (const std::string& file : text_rule_files(context.repository, context.contract)) {
      if (file == context.contract.pipeline.script) continue;
      const std::string absolute = context.repository.absolute(file);
      if (read_text_file(absolute, text) != TextRead::Text) continue;
      for (const ShellCommand& command : file_commands(file, text)) {
        if (!command.has_command()) continue;
        const std::string use = database_tool_use(command, context.contract.sinks.database_tools);
        if (use.empty()) continue;
        const ShellWord& word = command.command_word();
        findings.add({std::string(id()), severity(), {absolute, word.line, word.column},
                      file + " runs " + use + ", a database entry point; only the contract's pipeline script (" +
                          context.contract.pipeline.script + ") and the contract's programs may change a database",
                      {}});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_script_entry_point_rule() { return std::make_unique<ScriptEntryPointRule>(); }

}  // namespace pmc::audit
