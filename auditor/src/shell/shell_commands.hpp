// The simple commands of a shell script, as a shell would split them: words with quotes and
// escapes removed, comments and here-document bodies skipped, command substitutions ($(…), `…`)
// and `sh -c '…'` scripts read as commands of their own. Plain C++, no shell run.
//
// Limits (documented in auditor/README.md): no alias or function expansion (a function's body is
// read where it is written, its calls are plain commands), no parameter expansion (a command
// named through a variable is not known), case patterns may read as command words, and a
// here-document whose delimiter is built from an expansion is not recognised.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pmc::audit {

struct ShellWord {
  std::string text;  // quotes removed; expansions kept as written
  unsigned line = 0;
  unsigned column = 0;  // 1-based, in bytes
};

struct ShellCommand {
  std::vector<ShellWord> words;
  // The word the shell runs: after assignments (VAR=x), reserved words (if, then, !, …) and
  // launchers that run their argument (sudo, env, exec, command, nohup, nice, time, timeout,
  // xargs, npx, yarn, pnpm exec, npm exec …) with their options. words.size() when there is none.
  std::size_t command = 0;
  bool has_command() const { return command < words.size(); }
  const ShellWord& command_word() const { return words[command]; }
};

// `script` keeps the file's line structure: its lines are the file's lines (parts that are not
// shell blanked out), so that positions are the file's.
std::vector<ShellCommand> shell_commands(std::string_view script);

// The last path component of a word: "/usr/bin/psql" -> "psql", "$BIN/pmc-deploy-db" -> "pmc-deploy-db".
std::string command_name(const std::string& word);

}  // namespace pmc::audit
