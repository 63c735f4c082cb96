// Loads pmc-audit-clang.so from the running executable's folder with dlopen.
#include <dlfcn.h>

#include <mutex>

#include "pmc/error.hpp"
#include "tooling/clang_frontend.hpp"

namespace pmc::audit {
namespace {

constexpr char kModuleName[] = "pmc-audit-clang.so";
using Entry = const ClangFrontend* (*)();

[[noreturn]] void fail(const std::filesystem::path& module, const std::string& why) {
  throw Failure("PMC-A010", "cannot load " + module.string(), why,
                "pmc-audit reads C/C++ through this module, built beside it: rebuild pmc-audit "
                "(scripts/dev/build.sh).",
                ExitCode::UsageOrInput);
}

}  // namespace

LoadedFrontend load_clang_frontend() {
  static std::once_flag once;
  static const ClangFrontend* frontend = nullptr;
  static std::filesystem::path module;
  std::call_once(once, [] {
    std::error_code error;
    const std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error) fail(kModuleName, "cannot find the running executable: " + error.message());
    module = executable.parent_path() / kModuleName;
    // RTLD_NODELETE: the module's code stays mapped for the sanitizers' reports at exit.
    void* handle = dlopen(module.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (handle == nullptr) fail(module, dlerror());
    const auto entry = reinterpret_cast<Entry>(dlsym(handle, "pmc_audit_clang_frontend"));
    if (entry == nullptr) fail(module, "it has no pmc_audit_clang_frontend");
    frontend = entry();
  });
  return {*frontend, module};
}

}  // namespace pmc::audit
