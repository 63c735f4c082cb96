// Finds the shell inside scripts, CI YAML, Makefiles, Dockerfiles and package.json.
#include "shell/script_sources.hpp"

#include <nlohmann/json.hpp>

namespace pmc::audit {
namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string_view base_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      if (start < text.size()) lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// A snippet: the chosen lines as they are (or rewritten), every other line empty.
class Snippet {
 public:
  explicit Snippet(std::size_t lines) : lines_(lines) {}
  void set(std::size_t index, std::string line) { lines_[index] = std::move(line); }
  bool empty() const {
    for (const std::string& line : lines_) {
      if (!line.empty()) return false;
    }
    return true;
  }
  std::string text() const {
    std::string out;
    for (const std::string& line : lines_) out += line + "\n";
    return out;
  }

 private:
  std::vector<std::string> lines_;
};

std::size_t indentation(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  return i;
}

bool is_blank_line(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

// Blanks `length` bytes from `from`, and a quoted scalar's quotes.
std::string blanked(std::string_view line, std::size_t from) {
  std::string out(line);
  for (std::size_t i = 0; i < from && i < out.size(); ++i) out[i] = ' ';
  std::size_t first = out.find_first_not_of(' ');
  std::size_t last = out.find_last_not_of(" \r");
  if (first != std::string::npos && last > first && (out[first] == '"' || out[first] == '\'') && out[last] == out[first]) {
    out[first] = ' ';
    out[last] = ' ';
  }
  return out;
}

bool is_shell_file(std::string_view path, std::string_view text) {
  for (const char* extension : {".sh", ".bash", ".zsh", ".ksh", ".bats"}) {
    if (ends_with(path, extension)) return true;
  }
  if (text.substr(0, 2) != "#!") return false;
  std::string_view first = text.substr(0, text.find('\n'));
  for (const char* shell : {"sh", "bash", "dash", "zsh", "ksh", "ash"}) {
    const std::string_view name(shell);
    std::size_t at = first.find(name);
    while (at != std::string_view::npos) {
      const bool starts = at > 0 && (first[at - 1] == '/' || first[at - 1] == ' ');
      const std::size_t after = at + name.size();
      const bool ends = after == first.size() || first[after] == ' ' || first[after] == '\r';
      if (starts && ends) return true;
      at = first.find(name, at + 1);
    }
  }
  return false;
}

std::vector<std::string> yaml_snippets(std::string_view text) {
  const std::vector<std::string_view> lines = split_lines(text);
  std::vector<std::string> snippets;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    const std::size_t indent = indentation(line);
    std::size_t key = indent;
    if (line.substr(key, 2) == "- ") key += 2;
    std::size_t colon = std::string_view::npos;
    for (const char* name : {"run:", "script:", "before_script:", "after_script:"}) {
      const std::string_view word(name);
      if (line.substr(key, word.size()) == word) colon = key + word.size();
    }
    if (colon == std::string_view::npos) continue;
    Snippet snippet(lines.size());
    const std::string_view value = line.substr(colon);
    const std::size_t start = value.find_first_not_of(' ');
    const bool inline_value = start != std::string_view::npos && value[start] != '|' && value[start] != '>' &&
                              value[start] != '#';
    if (inline_value) {
      std::string flat = blanked(line, colon);
      if (value[start] == '[') {
        for (char& c : flat) {
          if (c == '[' || c == ']' || c == ',' || c == '"') c = ' ';
        }
      }
      snippet.set(i, flat);
    }
    std::size_t j = i + 1;
    for (; j < lines.size(); ++j) {
      const std::string_view inner = lines[j];
      if (is_blank_line(inner)) continue;
      if (indentation(inner) <= indent) break;
      const std::size_t item = indentation(inner);
      if (!inline_value && inner.substr(item, 2) == "- ") {
        const std::string_view rest = inner.substr(item + 2);
        const bool block_item = !rest.empty() && (rest[0] == '|' || rest[0] == '>');
        snippet.set(j, block_item ? std::string() : blanked(inner, item + 2));
      } else if (!inline_value) {
        snippet.set(j, std::string(inner));
      }
    }
    if (!snippet.empty()) snippets.push_back(snippet.text());
    if (!inline_value) i = j - 1;
  }
  return snippets;
}

std::vector<std::string> makefile_snippets(std::string_view text) {
  const std::vector<std::string_view> lines = split_lines(text);
  Snippet snippet(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty() || lines[i][0] != '\t') continue;
    std::size_t from = 1;
    while (from < lines[i].size() && (lines[i][from] == '@' || lines[i][from] == '-' || lines[i][from] == '+')) ++from;
    std::string line(lines[i]);
    for (std::size_t k = 0; k < from; ++k) line[k] = ' ';
    snippet.set(i, line);
  }
  return snippet.empty() ? std::vector<std::string>{} : std::vector<std::string>{snippet.text()};
}

std::vector<std::string> dockerfile_snippets(std::string_view text) {
  const std::vector<std::string_view> lines = split_lines(text);
  Snippet snippet(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t start = lines[i].find_first_not_of(" \t");
    if (start == std::string_view::npos || lines[i].size() < start + 4) continue;
    std::string keyword(lines[i].substr(start, 4));
    for (char& c : keyword) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (keyword != "RUN " && keyword != "RUN\t") continue;
    snippet.set(i, std::string(start + 3, ' ') + std::string(lines[i].substr(start + 3)));
    while (i + 1 < lines.size() && ends_with(lines[i], "\\")) {
      ++i;
      snippet.set(i, std::string(lines[i]));
    }
  }
  return snippet.empty() ? std::vector<std::string>{} : std::vector<std::string>{snippet.text()};
}

std::vector<std::string> package_json_snippets(std::string_view text) {
  const nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object() || !document.contains("scripts") ||
      !document.at("scripts").is_object()) {
    return {};
  }
  const std::size_t scripts = text.find("\"scripts\"");
  std::vector<std::string> snippets;
  for (const auto& [name, value] : document.at("scripts").items()) {
    if (!value.is_string()) continue;
    const std::size_t key = text.find("\"" + name + "\"", scripts == std::string_view::npos ? 0 : scripts);
    if (key == std::string_view::npos) continue;
    const std::size_t quote = text.find('"', text.find(':', key + name.size() + 2));
    if (quote == std::string_view::npos) continue;
    std::size_t line_start = text.rfind('\n', quote);
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    std::string snippet;
    for (std::size_t i = 0; i < line_start; ++i) {
      if (text[i] == '\n') snippet += '\n';
    }
    snippet += std::string(quote - line_start + 1, ' ') + value.get<std::string>() + "\n";
    snippets.push_back(std::move(snippet));
  }
  return snippets;
}

}  // namespace

std::vector<std::string> shell_snippets(std::string_view path, std::string_view text) {
  const std::string_view name = base_name(path);
  if (ends_with(path, ".yml") || ends_with(path, ".yaml")) return yaml_snippets(text);
  if (name == "Makefile" || name == "makefile" || name == "GNUmakefile" || ends_with(name, ".mk")) {
    return makefile_snippets(text);
  }
  if (name == "Dockerfile" || name == "Containerfile" || name.rfind("Dockerfile.", 0) == 0 ||
      ends_with(name, ".dockerfile")) {
    return dockerfile_snippets(text);
  }
  if (name == "package.json") return package_json_snippets(text);
  if (is_shell_file(path, text)) return {std::string(text)};
  return {};
}

std::vector<ShellCommand> file_commands(std::string_view path, std::string_view text) {
  std::vector<ShellCommand> commands;
  for (const std::string& snippet : shell_snippets(path, text)) {
    for (ShellCommand& command : shell_commands(snippet)) commands.push_back(std::move(command));
  }
  return commands;
}

}  // namespace pmc::audit
