// Collects one translation unit's facts from its Clang AST. collect_facts() is the entry a
// clang-tidy module can call from a check on the unit; make_collect_action() is how pmc-audit
// runs it, gated on the unit compiling.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <clang/AST/ASTContext.h>
#include <clang/Frontend/FrontendAction.h>

#include "collect/collect_options.hpp"
#include "collect/preprocessor_regions.hpp"
#include "facts/facts.hpp"

namespace pmc::audit {

UnitFacts collect_facts(clang::ASTContext& context, const CollectOptions& options,
                        const ConditionalRegions& regions);

struct CollectResult {
  bool has_errors = false;          // the unit did not compile: a broken AST proves nothing
  UnitFacts facts;                  // empty when has_errors
  std::vector<std::string> inputs;  // absolute paths of every file the unit read
};

std::unique_ptr<clang::FrontendAction> make_collect_action(const CollectOptions& options,
                                                           CollectResult& out);

}  // namespace pmc::audit
