// Lists and reads the text files of the repository for the text rules.
#include "text/text_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace pmc::audit {
namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool is_markdown(std::string_view path) {
  return ends_with(path, ".md") || ends_with(path, ".markdown") || ends_with(path, ".mdx");
}

}  // namespace

bool is_text_rule_file(std::string_view path, const contract::Contract& contract) {
  if (source_kind(path) != SourceKind::Other || is_markdown(path)) return false;
  if (path == "CONTRACT.md" || path.rfind("rules/", 0) == 0) return false;
  return !contract.is_excluded(path);
}

std::vector<std::string> text_rule_files(const Repository& repository, const contract::Contract& contract) {
  std::vector<std::string> files;
  for (const std::string& file : repository.files()) {
    if (is_text_rule_file(file, contract)) files.push_back(file);
  }
  return files;
}

TextRead read_text_file(const std::string& path, std::string& text) {
  text.clear();
  const int descriptor = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) return TextRead::Unreadable;
  struct stat status {};
  if (fstat(descriptor, &status) != 0 || !S_ISREG(status.st_mode)) {
    close(descriptor);
    return TextRead::Unreadable;
  }
  text.resize(static_cast<std::size_t>(status.st_size));
  std::size_t filled = 0;
  while (filled < text.size()) {
    const ssize_t count = read(descriptor, text.data() + filled, text.size() - filled);
    if (count > 0) {
      filled += static_cast<std::size_t>(count);
    } else if (count == 0) {
      break;
    } else if (errno != EINTR) {
      close(descriptor);
      return TextRead::Unreadable;
    }
  }
  close(descriptor);
  text.resize(filled);
  const std::size_t head = std::min<std::size_t>(text.size(), 8000);
  return std::memchr(text.data(), '\0', head) == nullptr ? TextRead::Text : TextRead::Binary;
}

}  // namespace pmc::audit
