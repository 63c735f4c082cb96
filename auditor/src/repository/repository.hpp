// The repository being audited: its root (git's top level) and its files, tracked or new but not
// ignored (`git ls-files`), as repository-relative paths. Plain C++; git runs as a subprocess.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace pmc::audit {

enum class SourceKind { Other, Source, Header };

// By extension: .c .cc .cpp .cxx .c++ .cppm .ixx are sources; .h .hh .hpp .hxx .h++ .inl .ipp
// .tpp .tcc are headers.
SourceKind source_kind(std::string_view path);

class Repository {
 public:
  // The repository holding `inside` (a file or directory). Throws pmc::Failure (exit 2) when it
  // cannot be read or is not inside a git work tree.
  static Repository open(const std::filesystem::path& inside);

  const std::filesystem::path& root() const { return root_; }
  const std::vector<std::string>& files() const { return files_; }

  // Repository-relative form of an absolute path; empty when it lies outside the root.
  std::string relative(const std::string& absolute) const;
  std::string absolute(const std::string& relative) const;

 private:
  std::filesystem::path root_;
  std::string root_prefix_;  // root + '/'
  std::vector<std::string> files_;
};

// Throws pmc::Failure (exit 2) unless `path` exists and can be read.
void require_readable(const std::filesystem::path& path);

}  // namespace pmc::audit
