// How each kind of edge reads in a note.
#include "rules/call_path.hpp"

namespace pmc::audit {
namespace {

std::string quoted(const GraphNode& node) { return "'" + (node.name.empty() ? node.id : node.name) + "'"; }

}  // namespace

std::vector<Note> describe_path(const CallGraph& graph, const std::vector<Step>& path) {
  std::vector<Note> notes;
  for (const Step& step : path) {
    const std::string caller = quoted(graph.node(step.caller));
    const std::string callee = quoted(graph.node(step.callee));
    std::string text;
    if (step.indirect) {
      text = caller + " calls through a pointer here, which may reach any function whose address "
             "is taken, " + callee + " among them";
    } else {
      switch (step.kind) {
        case CallKind::Direct: text = caller + " calls " + callee; break;
        case CallKind::Virtual: text = caller + " makes a virtual call that may reach " + callee; break;
        case CallKind::Lambda: text = caller + " creates a lambda here, assumed called"; break;
        case CallKind::Construct: text = caller + " constructs or destroys an object here: " + callee; break;
        case CallKind::Callback: text = caller + " hands " + callee + " to a library function, which may call it"; break;
        case CallKind::Startup: text = "before main runs, its file's namespace-scope variables are initialised"; break;
      }
    }
    notes.push_back({step.where, std::move(text)});
  }
  return notes;
}

}  // namespace pmc::audit
