// Builds fixture repositories and runs pmc-audit on them.
#include "audit_harness.hpp"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <regex>
#include <sstream>

namespace pmc::test {
namespace fs = std::filesystem;

namespace {

const fs::path kFixtures = fs::path(PMC_SOURCE_DIR) / "fixtures" / "audit";

void copy_tree(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

}  // namespace

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

FixtureRepository::FixtureRepository(const std::string& fixture) {
  static std::atomic<int> counter{0};
  base_ = fs::temp_directory_path() /
          ("pmc-audit-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(base_);
  root_ = base_ / "repo";
  build_ = base_ / "build";
  fs::create_directories(build_);
  copy_tree(kFixtures / "common", root_);
  fs::create_directories(root_ / "rules");
  fs::copy_file(fs::path(PMC_SOURCE_DIR) / "rules" / "contract.json", root_ / "rules" / "contract.json");
  // The contract's prose goes with it (contract-doc); a fixture with its own contract brings its own.
  fs::copy_file(fs::path(PMC_SOURCE_DIR) / "CONTRACT.md", root_ / "CONTRACT.md");
  if (!fixture.empty()) copy_tree(kFixtures / fixture, root_);
  const ProcessResult init = run_process({PMC_GIT, "-C", root_.string(), "init", "-q"}, clean_environment());
  if (init.exit_code != 0) throw std::runtime_error("git init failed: " + init.err);
  write_compile_commands();
}

FixtureRepository::~FixtureRepository() {
  std::error_code ignored;
  fs::remove_all(base_, ignored);
}

void FixtureRepository::write(const std::string& relative, const std::string& text) const {
  fs::create_directories((root_ / relative).parent_path());
  std::ofstream(root_ / relative, std::ios::binary | std::ios::trunc) << text;
}

void FixtureRepository::write_compile_commands() const {
  nlohmann::json commands = nlohmann::json::array();
  for (const auto& entry : fs::recursive_directory_iterator(root_)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".cpp") continue;
    if (entry.path().string().find("/.git/") != std::string::npos) continue;
    std::ifstream in(entry.path());
    std::string first_line;
    std::getline(in, first_line);
    if (first_line.find("fixture: unlisted") != std::string::npos) continue;
    const std::string file = entry.path().string();
    commands.push_back({{"directory", root_.string()},
                        {"file", file},
                        {"arguments",
                         {"clang++-19", "-std=c++20", "-I" + root_.string(),
                          "-I" + (root_ / "runtime" / "include").string(),
                          "-I" + (fs::path(PMC_SOURCE_DIR) / "runtime" / "include").string(),
                          "-isystem", "/usr/include/postgresql", "-c", file, "-o", file + ".o"}}});
  }
  std::ofstream(build_ / "compile_commands.json", std::ios::trunc) << commands.dump(2);
}

std::set<Expected> FixtureRepository::expectations() const {
  // The expectation in the file type's comment form: C/C++ `//`, shell/YAML/CMake `#`, SQL `--`,
  // Markdown `<!-- -->`.
  static const std::regex kExpect(R"((?://|#|--|<!--)\s*expect:\s*([a-z-]+(\s*,\s*[a-z-]+)*))");
  static const std::regex kRule(R"([a-z-]+)");
  std::set<Expected> expected;
  for (const auto& entry : fs::recursive_directory_iterator(root_)) {
    if (!entry.is_regular_file()) continue;
    const std::string relative = fs::relative(entry.path(), root_).string();
    if (relative.rfind(".git/", 0) == 0 || relative.rfind("build/", 0) == 0) continue;
    std::ifstream in(entry.path());
    int number = 0;
    for (std::string line; std::getline(in, line);) {
      ++number;
      std::smatch match;
      if (!std::regex_search(line, match, kExpect)) continue;
      const std::string rules = match[1];
      for (auto it = std::sregex_iterator(rules.begin(), rules.end(), kRule); it != std::sregex_iterator(); ++it) {
        expected.emplace(relative, number, it->str());
      }
    }
  }
  return expected;
}

AuditRun FixtureRepository::audit(const std::vector<std::string>& extra) const {
  std::vector<std::string> argv = {PMC_AUDIT_BINARY, "-p", build_.string(), "--cache-dir",
                                   (build_ / "cache").string(), "--jobs", "2"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(root_.string());
  return run(std::vector<std::string>(argv.begin() + 1, argv.end()));
}

AuditRun FixtureRepository::run(const std::vector<std::string>& arguments) {
  std::vector<std::string> argv = {PMC_AUDIT_BINARY};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  AuditRun result;
  result.process = run_process(argv, clean_environment(), "", std::chrono::minutes(10));
  if (!result.process.out.empty() && result.process.out.front() == '{') {
    result.report = nlohmann::json::parse(result.process.out, nullptr, false);
  }
  return result;
}

std::set<Expected> reported(const nlohmann::json& report) {
  std::set<Expected> found;
  if (!report.is_object() || !report.contains("findings")) return found;
  for (const nlohmann::json& finding : report.at("findings")) {
    found.emplace(finding.at("file").get<std::string>(), finding.at("line").get<int>(),
                  finding.at("rule").get<std::string>());
  }
  return found;
}

std::string describe(const std::set<Expected>& findings) {
  std::string text;
  for (const auto& [file, line, rule] : findings) {
    text += "  " + file + ":" + std::to_string(line) + " [" + rule + "]\n";
  }
  return text.empty() ? "  (none)\n" : text;
}

std::vector<std::string> fixture_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kFixtures)) {
    if (entry.is_directory() && entry.path().filename() != "common") {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace pmc::test
