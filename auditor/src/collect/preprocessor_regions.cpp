// Records each completed #if … #endif region of the main file as the preprocessor runs.
#include "collect/preprocessor_regions.hpp"

namespace pmc::audit {
namespace {

class ConditionalRecorder : public clang::PPCallbacks {
 public:
  ConditionalRecorder(const clang::SourceManager& sources, ConditionalRegions& regions)
      : sources_(sources), regions_(regions) {}

  void Endif(clang::SourceLocation where, clang::SourceLocation opening) override {
    if (opening.isValid() && sources_.isWrittenInMainFile(opening)) {
      regions_.push_back({opening, where});
    }
  }

 private:
  const clang::SourceManager& sources_;
  ConditionalRegions& regions_;
};

}  // namespace

std::unique_ptr<clang::PPCallbacks> make_conditional_recorder(const clang::SourceManager& sources,
                                                             ConditionalRegions& regions) {
  return std::make_unique<ConditionalRecorder>(sources, regions);
}

}  // namespace pmc::audit
