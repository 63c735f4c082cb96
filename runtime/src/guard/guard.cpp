// The CI guard: the one place that decides whether this process may mutate databases.
#include "pmc/guard.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

// Deliberately nothing but constants and C stdio here: a refused run must not have touched a
// connection, a file or any state with a dynamic initialiser before the refusal.
namespace pmc::guard {
namespace {

constexpr char kCiVariable[] = "CI";
constexpr char kCiRequiredValue[] = "true";
constexpr char kApplyFlag[] = "--apply";

// The value as found, quoted, with control and non-ASCII bytes escaped so the refusal stays one
// line whatever CI holds.
void print_found_value(const char* value) {
  if (value == nullptr) {
    std::fputs("unset", stderr);
    return;
  }
  std::fputc('"', stderr);
  for (const unsigned char* p = reinterpret_cast<const unsigned char*>(value); *p != 0; ++p) {
    if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\') {
      std::fprintf(stderr, "\\x%02x", static_cast<unsigned>(*p));
    } else {
      std::fputc(*p, stderr);
    }
  }
  std::fputc('"', stderr);
}

[[noreturn]] void refuse(const char* found) {
  std::fputs(
      "pmc: refused: this program mutates databases and runs only in CI "
      "(CI must be exactly \"true\", found ",
      stderr);
  print_found_value(found);
  std::fputs(") [PMC-G001]\n", stderr);
  std::fflush(stderr);
  std::exit(1);
}

void require_ci() {
  const char* value = std::getenv(kCiVariable);
  if (value == nullptr || std::strcmp(value, kCiRequiredValue) != 0) refuse(value);
}

}  // namespace

bool runs_in_ci() noexcept {
  const char* value = std::getenv(kCiVariable);
  return value != nullptr && std::strcmp(value, kCiRequiredValue) == 0;
}

CiPass enforce_ci_only_execution() {
  require_ci();
  return CiPass();
}

std::optional<CiPass> enforce_ci_only_when_applying(int argc, char** argv) {
  for (int i = 1; i < argc && argv != nullptr; ++i) {
    if (argv[i] != nullptr && std::strcmp(argv[i], kApplyFlag) == 0) {
      require_ci();
      return CiPass();
    }
  }
  return std::nullopt;
}

}  // namespace pmc::guard
