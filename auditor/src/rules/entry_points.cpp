// entry-points: every main that can reach a database mutation is one of the contract's entry
// points, and reaches only what the contract lets it.
#include <algorithm>
#include <memory>
#include <set>

#include "rules/call_path.hpp"
#include "rules/rule.hpp"

namespace pmc::audit {
namespace {

enum class Reachable { Category, MutatingSink, Spawn, WritableConnection };

struct Reached {
  Reachable kind;
  std::size_t node;
  std::string what;        // category name, sink description, writable function
  const SinkFact* sink = nullptr;
};

// What main can reach, in breadth-first order (so each comes with its shortest path).
std::vector<Reached> reachable_from(const AuditContext& context, const Reach& reach) {
  std::vector<Reached> found;
  const auto& writable = context.contract.validating_connect.writable_functions;
  for (const std::size_t index : reach.order()) {
    const GraphNode& node = context.graph.node(index);
    for (const std::string& category : node.categories) {
      found.push_back({Reachable::Category, index, category});
    }
    if (std::find(writable.begin(), writable.end(), node.name) != writable.end()) {
      found.push_back({Reachable::WritableConnection, index, node.name});
    }
    for (const SinkFact& sink : node.sinks) {
      // The database layer is the runtime's own: its reads run in read-only sessions and its
      // writes need a writable connection, which is judged above.
      if (context.in_database_layer(sink.where)) continue;
      if (context.sinks.mutates(sink)) {
        found.push_back({Reachable::MutatingSink, index, context.sinks.describe(sink), &sink});
      }
      if (sink.kind == SinkKind::Spawn) {
        found.push_back({Reachable::Spawn, index, context.sinks.describe(sink), &sink});
      }
    }
  }
  return found;
}

std::string phrase(const Reached& reached) {
  switch (reached.kind) {
    case Reachable::Category: return "PMC_MUTATION category '" + reached.what + "'";
    case Reachable::MutatingSink: return "a database mutation: " + reached.what;
    case Reachable::Spawn: return "a process spawn: " + reached.what;
    case Reachable::WritableConnection: return "a writable connection through '" + reached.what + "'";
  }
  return reached.what;
}

std::vector<Note> notes_for(const AuditContext& context, const Reach& reach, const Reached& reached) {
  std::vector<Note> notes = describe_path(context.graph, reach.path_to(reached.node));
  const GraphNode& node = context.graph.node(reached.node);
  const std::string name = "'" + node.name + "'";
  if (reached.sink != nullptr) {
    notes.push_back({reached.sink->where, reached.what + " is called here"});
  } else if (reached.kind == Reachable::Category) {
    const SourceLocation where = node.definitions.empty() ? SourceLocation{} : node.definitions.front();
    if (where.valid()) {
      notes.push_back({where, name + " is annotated PMC_MUTATION(\"" + reached.what + "\")"});
    }
  }
  return notes;
}

class EntryPointsRule : public Rule {
 public:
  std::string_view id() const override { return "entry-points"; }
  std::string_view summary() const override {
    return "only the contract's entry points reach database mutations, and only those allowed";
  }
  std::string_view explanation() const override {
    return "Every main() of the repository is followed through the cross-unit call graph "
           "(direct and member calls, every override of a virtual call, every address-taken "
           "function from a call through a pointer, lambdas, constructors and destructors, and "
           "its file's namespace-scope initialisers). A main that can reach a PMC_MUTATION "
           "category, a mutating sink (SQL that is not a read-only literal, a spawn of a "
           "database tool or of a command built at run time, a run-time look-up of a sink) or a "
           "writable connection must be an entry point of rules/contract.json; an entry point "
           "may reach only its own categories, never a raw mutating sink, and spawns nothing "
           "unless the contract says so; a removed program and the read-only helpers reach "
           "nothing of the kind. Reported at the main, with the call path as notes.";
  }

  void check(const AuditContext& context, Findings& findings) const override {
    std::set<std::string> seen;
    for (const MainFact& main : context.graph.mains()) {
      if (!seen.insert(main.id).second) continue;
      const std::optional<std::size_t> start = context.graph.find(main.id);
      if (!start) continue;
      const std::string path = context.relative(main.where);
      if (path.empty()) continue;
      const Reach reach = context.graph.reach_from(*start);
      const std::vector<Reached> reached = reachable_from(context, reach);
      check_main(context, main, path, reach, reached, findings);
    }
  }

 private:
  void check_main(const AuditContext& context, const MainFact& main, const std::string& path,
                  const Reach& reach, const std::vector<Reached>& reached, Findings& findings) const {
    const contract::EntryPoint* entry = context.contract.find_entry_point_by_source(path);
    const bool helper = std::any_of(
        context.contract.read_only_helpers.begin(), context.contract.read_only_helpers.end(),
        [&](const contract::ReadOnlyHelper& h) { return h.source == path; });

    std::set<std::string> reported;
    for (const Reached& item : reached) {
      std::string message;
      if (entry == nullptr) {
        if (item.kind == Reachable::Spawn) continue;
        message = helper ? "read-only helper " + path + " must reach no mutation, but its main() can reach " + phrase(item)
                         : "main() in " + path + " can reach " + phrase(item) +
                               ", but " + path + " is not an entry point of the contract";
      } else if (entry->status == contract::EntryPointStatus::Removed) {
        message = entry->binary + " is removed and must reach nothing, but its main() can reach " + phrase(item);
      } else if (item.kind == Reachable::Category) {
        if (std::find(entry->categories.begin(), entry->categories.end(), item.what) != entry->categories.end()) continue;
        message = entry->binary + " may reach only " + list(entry->categories) + ", but its main() can reach " + phrase(item);
      } else if (item.kind == Reachable::MutatingSink) {
        message = entry->binary + " may mutate only through the runtime's PMC_MUTATION functions, but its main() can reach " + phrase(item);
      } else if (item.kind == Reachable::Spawn) {
        if (entry->spawns_processes) continue;
        message = entry->binary + " spawns no process by contract, but its main() can reach " + phrase(item);
      } else {
        continue;  // an active entry point may open a writable connection
      }
      if (!reported.insert(message).second) continue;
      findings.add({std::string(id()), severity(), main.where, message, notes_for(context, reach, item)});
    }
  }

  static std::string list(const std::vector<std::string>& categories) {
    std::string text;
    for (const std::string& category : categories) {
      text += (text.empty() ? "'" : ", '") + category + "'";
    }
    return text;
  }
};

}  // namespace

std::unique_ptr<Rule> make_entry_points_rule() { return std::make_unique<EntryPointsRule>(); }

}  // namespace pmc::audit
