// The preprocessor conditionals (#if/#ifdef/#ifndef … #endif) of a unit's main file: the guard
// must not sit inside one, nor after one in main. Internal to collect/ (and a clang-tidy check).
#pragma once

#include <memory>
#include <vector>

#include <clang/Basic/SourceLocation.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/PPCallbacks.h>

namespace pmc::audit {

struct ConditionalRegion {
  clang::SourceLocation opening;  // the #if, #ifdef or #ifndef
  clang::SourceLocation closing;  // its #endif
};

using ConditionalRegions = std::vector<ConditionalRegion>;

std::unique_ptr<clang::PPCallbacks> make_conditional_recorder(const clang::SourceManager& sources,
                                                             ConditionalRegions& regions);

}  // namespace pmc::audit
