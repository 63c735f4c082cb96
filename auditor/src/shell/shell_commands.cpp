// A small shell tokenizer: words, operators, quotes, escapes, comments, here-documents and command
// substitutions, enough to find which programs a script runs.
#include "shell/shell_commands.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace pmc::audit {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_operator(char c) { return c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<' || c == '>'; }

bool is_assignment(const std::string& word) {
  const std::size_t equals = word.find('=');
  if (equals == std::string::npos || equals == 0) return false;
  if (!std::isalpha(static_cast<unsigned char>(word[0])) && word[0] != '_') return false;
  return std::all_of(word.begin(), word.begin() + static_cast<std::ptrdiff_t>(equals), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '+';
  });
}

bool is_number(const std::string& word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 's' || c == 'm';
  });
}

// The word the shell runs, past assignments, reserved words and launchers with their options.
std::size_t command_index(const std::vector<ShellWord>& words) {
  static const std::set<std::string> kReserved = {"if", "then", "else", "elif", "do", "while", "until",
                                                  "!", "{", "time", "fi", "done", "esac", "}"};
  static const std::set<std::string> kLaunchers = {"sudo", "doas", "env", "exec", "command", "nohup",
                                                   "nice", "time", "timeout", "xargs", "builtin",
                                                   "npx", "pnpx", "bunx", "yarn", "pnpm", "npm"};
  static const std::set<std::string> kLauncherVerbs = {"exec", "x", "dlx"};  // npm exec, pnpm dlx
  std::size_t i = 0;
  bool after_launcher = false;
  while (i < words.size()) {
    const std::string& text = words[i].text;
    if (is_assignment(text) || (!after_launcher && kReserved.count(text) != 0)) {
      ++i;
    } else if (after_launcher && (text.rfind('-', 0) == 0 || is_number(text) || kLauncherVerbs.count(text) != 0)) {
      // sudo -u NAME: an option's value cannot be told from a command without knowing the
      // launcher; -u/-g are the common ones.
      if ((text == "-u" || text == "-g") && i + 1 < words.size()) ++i;
      ++i;
    } else if (kLaunchers.count(command_name(text)) != 0) {
      after_launcher = true;
      ++i;
    } else {
      return i;
    }
  }
  return words.size();
}

class Tokenizer {
 public:
  explicit Tokenizer(std::string_view text) : text_(text) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') line_starts_.push_back(i + 1);
    }
  }

  std::vector<ShellCommand> run() {
    parse_sequence('\0');
    return std::move(commands_);
  }

 private:
  struct HereDocument {
    std::string delimiter;
    bool strip_tabs = false;
  };

  void position(std::size_t offset, ShellWord& word) const {
    const auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const std::size_t line = static_cast<std::size_t>(next - line_starts_.begin());
    word.line = static_cast<unsigned>(line);
    word.column = static_cast<unsigned>(offset - line_starts_[line - 1] + 1);
  }

  void finish(std::vector<ShellWord>& words) {
    if (words.empty()) return;
    ShellCommand command;
    command.words = std::move(words);
    words.clear();
    command.command = command_index(command.words);
    commands_.push_back(command);
    if (command.has_command()) expand_shell_c(command);
  }

  // `sh -c 'script'`: the script's commands, placed at the script word.
  void expand_shell_c(const ShellCommand& command) {
    static const std::set<std::string> kShells = {"sh", "bash", "dash", "zsh", "ksh", "ash"};
    if (kShells.count(command_name(command.command_word().text)) == 0) return;
    for (std::size_t i = command.command + 1; i + 1 < command.words.size(); ++i) {
      const std::string& option = command.words[i].text;
      if (option.size() < 2 || option[0] != '-' || option[1] == '-' || option.find('c') == std::string::npos) continue;
      const ShellWord& script = command.words[i + 1];
      for (ShellCommand inner : shell_commands(script.text)) {
        for (ShellWord& word : inner.words) {
          word.line = script.line;
          word.column = script.column;
        }
        commands_.push_back(std::move(inner));
      }
      return;
    }
  }

  void skip_here_documents() {
    for (const HereDocument& document : pending_) {
      while (pos_ < text_.size()) {
        const std::size_t end = std::min(text_.find('\n', pos_), text_.size());
        std::string_view line = text_.substr(pos_, end - pos_);
        pos_ = end < text_.size() ? end + 1 : end;
        if (document.strip_tabs) {
          while (!line.empty() && line.front() == '\t') line.remove_prefix(1);
        }
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line == document.delimiter) break;
      }
    }
    pending_.clear();
  }

  // Commands until `end` (')' of $(…), '`', or the end of the text).
  void parse_sequence(char end) {
    ends_.push_back(end);
    std::vector<ShellWord> words;
    bool redirect_target = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (end != '\0' && c == end) {
        ++pos_;
        finish(words);
        ends_.pop_back();
        return;
      }
      if (c == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
        pos_ += 2;
      } else if (is_blank(c)) {
        ++pos_;
      } else if (c == '\n') {
        ++pos_;
        finish(words);
        skip_here_documents();
      } else if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (c == '<' || c == '>') {
        redirect_target = redirection(c);
      } else if (is_operator(c)) {
        while (pos_ < text_.size() && (text_[pos_] == ';' || text_[pos_] == '&' || text_[pos_] == '|')) ++pos_;
        if (c == '(' || c == ')') ++pos_;
        finish(words);
      } else {
        ShellWord word = read_word();
        if (redirect_target) {
          redirect_target = false;  // a redirection's file is not an argument
        } else {
          words.push_back(std::move(word));
        }
      }
    }
    finish(words);
    ends_.pop_back();
  }

  // Reads a redirection operator; a here-document's delimiter too. Whether a target word follows.
  bool redirection(char c) {
    std::size_t length = 1;
    while (pos_ + length < text_.size() && length < 3 &&
           (text_[pos_ + length] == '<' || text_[pos_ + length] == '>' || text_[pos_ + length] == '&' ||
            text_[pos_ + length] == '|' || text_[pos_ + length] == '-')) {
      ++length;
    }
    const std::string_view op = text_.substr(pos_, length);
    pos_ += length;
    if (c == '<' && (op == "<<" || op == "<<-")) {
      while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
      HereDocument document;
      document.strip_tabs = op == "<<-";
      document.delimiter = read_word().text;
      pending_.push_back(std::move(document));
      return false;
    }
    return true;  // a file, or a descriptor after >& (2>&1)
  }

  // $(…) or `…` inside a word: its commands are commands of their own.
  void substitution(char end, std::string& text) {
    parse_sequence(end);
    text += end == ')' ? "$(…)" : "`…`";
  }

  ShellWord read_word() {
    ShellWord word;
    position(pos_, word);
    std::string& text = word.text;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (is_blank(c) || c == '\n' || is_operator(c)) break;
      if (c == '`' && ends_.back() == '`') break;  // the end of the `…` this word stands in
      if (c == '\\') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] != '\n') text += text_[pos_ + 1];
        pos_ += 2;
      } else if (c == '\'') {
        const std::size_t close = text_.find('\'', pos_ + 1);
        const std::size_t stop = close == std::string_view::npos ? text_.size() : close;
        text.append(text_.substr(pos_ + 1, stop - pos_ - 1));
        pos_ = stop + 1;
      } else if (c == '"') {
        ++pos_;
        read_double_quoted(text);
      } else if (c == '`') {
        ++pos_;
        substitution('`', text);
      } else if (c == '$') {
        read_dollar(text);
      } else {
        text += c;
        ++pos_;
      }
    }
    return word;
  }

  void read_double_quoted(std::string& text) {
    while (pos_ < text_.size() && text_[pos_] != '"') {
      const char c = text_[pos_];
      if (c == '\\' && pos_ + 1 < text_.size()) {
        const char next = text_[pos_ + 1];
        if (next == '"' || next == '\\' || next == '$' || next == '`') text += next;
        else if (next != '\n') text.append({c, next});
        pos_ += 2;
      } else if (c == '`') {
        ++pos_;
        substitution('`', text);
      } else if (c == '$') {
        read_dollar(text);
      } else {
        text += c;
        ++pos_;
      }
    }
    ++pos_;  // the closing quote
  }

  void read_dollar(std::string& text) {
    const std::string_view rest = text_.substr(pos_);
    if (rest.substr(0, 3) == "$((") {
      skip_balanced(pos_ + 1, '(', ')', text);
    } else if (rest.substr(0, 2) == "$(") {
      pos_ += 2;
      substitution(')', text);
    } else if (rest.substr(0, 2) == "${") {
      skip_balanced(pos_ + 1, '{', '}', text);
    } else if (rest.substr(0, 2) == "$'") {
      std::size_t i = pos_ + 2;
      while (i < text_.size() && text_[i] != '\'') i += text_[i] == '\\' ? 2 : 1;
      text.append(text_.substr(pos_ + 2, std::min(i, text_.size()) - pos_ - 2));
      pos_ = i + 1;
    } else {
      text += '$';
      ++pos_;
    }
  }

  // ${…} and $((…)): kept as written, without looking inside.
  void skip_balanced(std::size_t open, char opening, char closing, std::string& text) {
    int depth = 0;
    std::size_t i = open;
    for (; i < text_.size(); ++i) {
      if (text_[i] == opening) ++depth;
      if (text_[i] == closing && --depth == 0) break;
    }
    const std::size_t stop = std::min(i + 1, text_.size());
    text.append(text_.substr(pos_, stop - pos_));
    pos_ = stop;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::vector<std::size_t> line_starts_;
  std::vector<HereDocument> pending_;
  std::vector<char> ends_;  // what ends each open substitution
  std::vector<ShellCommand> commands_;
};

}  // namespace

std::string command_name(const std::string& word) {
  const std::size_t slash = word.rfind('/');
  return slash == std::string::npos ? word : word.substr(slash + 1);
}

std::vector<ShellCommand> shell_commands(std::string_view script) { return Tokenizer(script).run(); }

}  // namespace pmc::audit
