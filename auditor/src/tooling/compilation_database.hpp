// compile_commands.json, loaded once, with commands interpolated (as clangd does) for files the
// build does not list. The interface names no Clang type.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tooling/unit.hpp"

namespace pmc::audit {

class CompilationDatabase {
 public:
  // `location` is a build directory or the compile_commands.json itself. Throws pmc::Failure
  // (exit 2) when it is missing, malformed or lists no file.
  static CompilationDatabase load(const std::filesystem::path& location);

  CompilationDatabase(CompilationDatabase&&) noexcept;
  CompilationDatabase& operator=(CompilationDatabase&&) noexcept;
  ~CompilationDatabase();

  // Every command listed for the file, or one interpolated from the nearest listed file.
  std::vector<UnitCommand> commands_for(const std::string& absolute_file) const;
  const std::filesystem::path& path() const;

 private:
  struct Impl;
  explicit CompilationDatabase(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pmc::audit
