// bypass-text: the bypass patterns in the repository's other text files (CI workflows, shell,
// Dockerfile, .env, CMake, Makefile …), one RE2::Set pass per file.
#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>

#include "classify/bypass_patterns.hpp"
#include "pmc/error.hpp"
#include "rules/rule.hpp"
#include "text/text_files.hpp"
#include "text/text_scanner.hpp"

namespace pmc::audit {
namespace {

class BypassTextRule : public Rule {
 public:
  std::string_view id() const override { return "bypass-text"; }
  std::string_view summary() const override {
    return "no escape-hatch names or flags in CI workflows, scripts and other text files";
  }
  std::string_view explanation() const override {
    return "Every file of the repository that is not C/C++ (CI workflow YAML, shell, "
           "Dockerfile, .env, CMake, Makefile, JSON, any other text), less Markdown, the "
           "contract's own files (CONTRACT.md, rules/), the contract's excluded paths and binary "
           "files, is scanned once with all the bypass patterns (names such as SKIP_FINGERPRINT "
           "or PRISMA_SCHEMA_DISABLE_ADVISORY_LOCK, flags such as --force or "
           "--accept-data-loss), matched as in C/C++. Text after a '#' that starts a line or "
           "follows a blank outside quotes is a comment and does not count. Reported at the "
           "name or flag.";
  }
  bool reads_code() const override { return false; }

  void check(const AuditContext& context, Findings& findings) const override {
    const BypassPatterns patterns(context.contract.bypass.name_patterns,
                                  context.contract.bypass.flag_patterns);
    const TextScanner scanner(patterns);
    const std::vector<std::string> files = text_rule_files(context.repository, context.contract);
    std::vector<std::vector<TextMatch>> matches(files.size());
    std::vector<char> unreadable(files.size(), 0);
    // One thread per core, as ripgrep: the files are independent and the scanner is read-only.
    std::atomic<std::size_t> next{0};
    auto work = [&] {
      std::string text;
      for (std::size_t i = next++; i < files.size(); i = next++) {
        const TextRead read = read_text_file(context.repository.absolute(files[i]), text);
        if (read == TextRead::Unreadable) unreadable[i] = 1;
        if (read == TextRead::Text) matches[i] = scanner.scan(text);
      }
    };
    const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, 16u);
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (std::thread& thread : pool) thread.join();

    for (std::size_t i = 0; i < files.size(); ++i) {
      const std::string path = context.repository.absolute(files[i]);
      if (unreadable[i] != 0) {
        throw Failure("PMC-A020", "cannot read " + path, {},
                      "Every file git lists must be readable for the text rules.",
                      ExitCode::UsageOrInput);
      }
      for (const TextMatch& match : matches[i]) {
        findings.add({std::string(id()), severity(), {path, match.line, match.column},
                      std::string(match.flag ? "the option '" : "the name '") + match.token +
                          "' matches the bypass " + (match.flag ? "flag " : "") + "pattern '" +
                          match.pattern + "'; an escape hatch has no place here (an exception is a "
                          "change of the contract, not a switch)",
                      {}});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_bypass_text_rule() { return std::make_unique<BypassTextRule>(); }

}  // namespace pmc::audit
