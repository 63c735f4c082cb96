// libFuzzer target: pmc-audit's shell reader (shell/: the snippets of shell in a script, CI YAML,
// Makefile, Dockerfile or package.json, and their simple commands). The first byte picks the
// file's kind, the rest is its text. Every word must have a place in the text (a line it has, a
// column from 1) and every command's command index must lie within its words or mark none.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "shell/script_sources.hpp"
#include "shell/shell_commands.hpp"

namespace {

constexpr std::string_view kPaths[] = {"scripts/deploy.sh", ".github/workflows/ci.yml", ".gitlab-ci.yml",
                                       "Makefile", "docker/Dockerfile", "package.json", "tools/run"};

void check(const std::vector<pmc::audit::ShellCommand>& commands, std::size_t lines) {
  for (const pmc::audit::ShellCommand& command : commands) {
    if (command.command > command.words.size()) std::abort();
    for (const pmc::audit::ShellWord& word : command.words) {
      if (word.line == 0 || word.line > lines || word.column == 0) std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view path = kPaths[data[0] % std::size(kPaths)];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  // Lines a position may name: the text's, and one more for a snippet's closing newline.
  const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 2;
  check(pmc::audit::shell_commands(text), lines);
  // package.json scripts are JSON strings: a "\n" escape adds lines the file does not have.
  if (path != "package.json") check(pmc::audit::file_commands(path, text), lines);
  return 0;
}
