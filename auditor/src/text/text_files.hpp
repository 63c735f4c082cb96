// The files text rules read: every file of the repository (tracked, or new and not ignored) that
// is not C/C++, less Markdown, the contract's own files (CONTRACT.md, rules/) and the contract's
// excluded paths; and reading one, binary files refused. Shared by every text rule.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pmc/contract.hpp"
#include "repository/repository.hpp"

namespace pmc::audit {

// Repository-relative paths, in the repository's order.
std::vector<std::string> text_rule_files(const Repository& repository, const contract::Contract& contract);

// Whether a repository-relative path is one the text rules read (see text_rule_files).
bool is_text_rule_file(std::string_view path, const contract::Contract& contract);

enum class TextRead { Text, Binary, Unreadable };

// The file's bytes into `text` (a buffer reused between files). Binary: a NUL byte in its first
// 8000 bytes, as git decides.
TextRead read_text_file(const std::string& path, std::string& text);

}  // namespace pmc::audit
