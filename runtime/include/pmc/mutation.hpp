// PMC_MUTATION("category") marks a runtime function that writes to a database. pmc-audit reads
// the annotation to prove which entry points reach which categories of rules/contract.json.
#pragma once

#define PMC_MUTATION(category) [[clang::annotate("pmc::mutation:" category)]]
