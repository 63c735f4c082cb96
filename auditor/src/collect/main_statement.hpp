// Describes main() for the guard-order rule: its first statement (through try blocks), the call
// it makes, where that callee is defined here, its arguments, macros and preprocessor
// conditionals on the way. Internal to collect/.
#pragma once

#include <clang/AST/Decl.h>

#include "collect/ast_support.hpp"
#include "collect/preprocessor_regions.hpp"
#include "facts/facts.hpp"

namespace pmc::audit {

MainFact describe_main(const clang::FunctionDecl& main, AstSupport& ast,
                       const ConditionalRegions& regions);

}  // namespace pmc::audit
