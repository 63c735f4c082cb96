// A path through the call graph as notes, one per call, in clang's "note:" style.
#pragma once

#include <vector>

#include "graph/call_graph.hpp"
#include "report/finding.hpp"

namespace pmc::audit {

std::vector<Note> describe_path(const CallGraph& graph, const std::vector<Step>& path);

}  // namespace pmc::audit
