// Finds the repository root and lists its files by running git (posix_spawnp, no shell).
#include "repository/repository.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "pmc/error.hpp"

extern char** environ;

namespace pmc::audit {
namespace {

struct GitResult {
  int status = -1;
  std::string out;
  std::string err;
};

std::string read_all(int descriptor) {
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t count = read(descriptor, buffer, sizeof buffer);
    if (count > 0) {
      text.append(buffer, static_cast<std::size_t>(count));
    } else if (count == 0 || errno != EINTR) {
      break;
    }
  }
  return text;
}

GitResult run_git(const std::vector<std::string>& arguments) {
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw Failure("PMC-A001", "cannot run git", std::strerror(errno), {}, ExitCode::UsageOrInput);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>("git"));
  for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  pid_t child = 0;
  const int spawned = posix_spawnp(&child, "git", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  GitResult result;
  if (spawned != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    throw Failure("PMC-A001", "cannot run git", std::strerror(spawned),
                  "pmc-audit lists the repository's files with git; install git.",
                  ExitCode::UsageOrInput);
  }
  result.out = read_all(out_pipe[0]);
  result.err = read_all(err_pipe[0]);
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::vector<std::string> split_nul(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\0', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) items.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

std::string extension_of(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  const std::size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  return std::string(path.substr(dot));
}

}  // namespace

SourceKind source_kind(std::string_view path) {
  static const std::set<std::string> kSources = {".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".cppm", ".ixx"};
  static const std::set<std::string> kHeaders = {".h", ".hh", ".hpp", ".hxx", ".h++", ".H",
                                                 ".inl", ".ipp", ".tpp", ".tcc"};
  const std::string extension = extension_of(path);
  if (kSources.count(extension) != 0) return SourceKind::Source;
  if (kHeaders.count(extension) != 0) return SourceKind::Header;
  return SourceKind::Other;
}

void require_readable(const std::filesystem::path& path) {
  if (access(path.c_str(), R_OK) != 0) {
    throw Failure("PMC-A002", "cannot read " + path.string() + ": " + std::strerror(errno), {},
                  "Give a file or directory of the repository that exists and can be read.",
                  ExitCode::UsageOrInput);
  }
}

Repository Repository::open(const std::filesystem::path& inside) {
  require_readable(inside);
  std::error_code error;
  std::filesystem::path directory = std::filesystem::canonical(inside, error);
  if (error) {
    throw Failure("PMC-A002", "cannot read " + inside.string() + ": " + error.message(), {}, {},
                  ExitCode::UsageOrInput);
  }
  if (!std::filesystem::is_directory(directory)) directory = directory.parent_path();

  const GitResult top = run_git({"-C", directory.string(), "rev-parse", "--show-toplevel"});
  if (top.status != 0) {
    throw Failure("PMC-A001", inside.string() + " is not inside a git work tree",
                  top.err.substr(0, top.err.find('\n')),
                  "pmc-audit audits the files of a git repository: run it inside one.",
                  ExitCode::UsageOrInput);
  }
  Repository repository;
  repository.root_ = std::filesystem::canonical(top.out.substr(0, top.out.find('\n')));
  repository.root_prefix_ = repository.root_.string() + "/";

  const std::string root = repository.root_.string();
  // One listing, each path tagged (-t): "R " deleted in the work tree but still in the index
  // (nothing left to audit; its "H " entry is dropped too), any other tag a file to audit.
  const GitResult listed =
      run_git({"-C", root, "ls-files", "-z", "-t", "--cached", "--deleted", "--others", "--exclude-standard"});
  if (listed.status != 0) {
    throw Failure("PMC-A001", "git cannot list the files of " + root, listed.err.substr(0, 500), {},
                  ExitCode::UsageOrInput);
  }
  std::set<std::string> files;
  std::set<std::string> removed;
  for (std::string& entry : split_nul(listed.out)) {
    if (entry.size() < 3 || entry[1] != ' ') continue;
    (entry[0] == 'R' ? removed : files).insert(entry.substr(2));
  }
  for (const std::string& file : removed) files.erase(file);
  repository.files_.assign(files.begin(), files.end());
  return repository;
}

std::string Repository::relative(const std::string& absolute) const {
  if (absolute.rfind(root_prefix_, 0) != 0) return {};
  return absolute.substr(root_prefix_.size());
}

std::string Repository::absolute(const std::string& relative) const {
  return root_prefix_ + relative;
}

}  // namespace pmc::audit
