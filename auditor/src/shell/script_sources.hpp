// Where the shell is in a repository's files: shell scripts (by extension or #! line), CI YAML
// `run:` and GitLab `script:` blocks, Makefile recipes, Dockerfile RUN instructions and
// package.json scripts. Each snippet keeps the file's line structure (other bytes blanked), so
// positions found in it are the file's. Other languages (Python, JavaScript …) are not read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "shell/shell_commands.hpp"

namespace pmc::audit {

// The shell snippets of a file; none when the file holds no shell we know how to find.
std::vector<std::string> shell_snippets(std::string_view path, std::string_view text);

// Every simple command of every snippet.
std::vector<ShellCommand> file_commands(std::string_view path, std::string_view text);

}  // namespace pmc::audit
