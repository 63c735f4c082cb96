// The fuzz targets' entry point (LLVMFuzzerTestOneInput) run over files instead of libFuzzer:
// every file given, and every file under every folder given, once each. In every build, this
// replays the seed corpora and the crashes fuzzing found (fixtures/fuzz/), so one that comes back
// fails a test, under the sanitizers too when the build has them.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

int replay(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  // The line comes first: a crash is then reported after the name of its input.
  std::cout << "replaying " << file.string() << " (" << bytes.size() << " bytes)" << std::endl;
  return LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const fs::path given = argv[i];
    if (fs::is_directory(given)) {
      for (const fs::directory_entry& entry : fs::recursive_directory_iterator(given)) {
        if (entry.is_regular_file() && entry.path().filename() != "README.md") {
          files.push_back(entry.path());
        }
      }
    } else if (fs::exists(given)) {
      files.push_back(given);
    }
  }
  if (files.empty()) {
    std::cerr << "fuzz replay: no input files in the paths given\n";
    return 2;
  }
  for (const fs::path& file : files) {
    if (replay(file) != 0) return 1;
  }
  std::cout << files.size() << " inputs replayed" << std::endl;
  return 0;
}
