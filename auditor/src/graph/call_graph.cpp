// Merging the units' facts and walking the graph breadth-first, keeping the way back.
#include "graph/call_graph.hpp"

#include <algorithm>
#include <deque>

namespace pmc::audit {

std::vector<Step> Reach::path_to(std::size_t node) const {
  std::vector<Step> steps;
  if (!reached(node)) return steps;
  while (node != start_) {
    steps.push_back(via_[node]);
    node = via_[node].caller;
  }
  std::reverse(steps.begin(), steps.end());
  return steps;
}

CallGraph::CallGraph(const std::vector<UnitFacts>& units) {
  for (const UnitFacts& unit : units) {
    for (const FunctionFact& function : unit.functions) merge(function);
  }
  for (const UnitFacts& unit : units) {
    for (const auto& [id, categories] : unit.categories) {
      GraphNode& node = nodes_[intern(id, "")];
      for (const std::string& category : categories) {
        if (std::find(node.categories.begin(), node.categories.end(), category) == node.categories.end()) {
          node.categories.push_back(category);
        }
      }
    }
    for (const auto& [method, bases] : unit.overrides) {
      const std::size_t derived = intern(method, "");
      for (const std::string& base : bases) {
        std::vector<std::size_t>& list = overriders_[intern(base, "")];
        if (std::find(list.begin(), list.end(), derived) == list.end()) list.push_back(derived);
      }
    }
    for (const std::string& id : unit.address_taken) {
      const std::size_t index = intern(id, "");
      if (!nodes_[index].address_taken) {
        nodes_[index].address_taken = true;
        address_taken_.push_back(index);
      }
    }
    for (const MainFact& main : unit.mains) {
      if (std::find(mains_.begin(), mains_.end(), main) != mains_.end()) continue;
      mains_.push_back(main);
      // Before main runs, its unit's namespace-scope variables are initialised.
      const std::size_t node = intern(main.id, "main");
      if (find(main.unit_init)) add_call(node, {main.unit_init, "namespace-scope initialisers", CallKind::Startup, main.where});
    }
    for (const DynamicInitFact& variable : unit.dynamic_inits) {
      UnitInit init{unit.source, variable};
      const bool known = std::any_of(dynamic_inits_.begin(), dynamic_inits_.end(), [&](const UnitInit& other) {
        return other.unit == init.unit && other.variable == init.variable;
      });
      if (!known) dynamic_inits_.push_back(std::move(init));
    }
  }
}

std::size_t CallGraph::intern(const std::string& id, const std::string& name) {
  auto [entry, inserted] = index_.try_emplace(id, nodes_.size());
  if (inserted) {
    GraphNode node;
    node.id = id;
    node.name = name;
    nodes_.push_back(std::move(node));
    call_keys_.emplace_back();
  } else if (nodes_[entry->second].name.empty()) {
    nodes_[entry->second].name = name;
  }
  return entry->second;
}

void CallGraph::add_call(std::size_t caller, const CallFact& call) {
  intern(call.callee, call.callee_name);
  const std::string key = std::to_string(static_cast<int>(call.kind)) + call.callee;
  if (!call_keys_[caller].emplace(key, true).second) return;
  nodes_[caller].calls.push_back(call);
}

void CallGraph::merge(const FunctionFact& function) {
  const std::size_t index = intern(function.id, function.name);
  GraphNode& node = nodes_[index];
  node.name = function.name;  // a definition names itself better than its callers do
  if (std::find(node.definitions.begin(), node.definitions.end(), function.where) == node.definitions.end()) {
    node.definitions.push_back(function.where);
  }
  for (const SinkFact& sink : function.sinks) {
    if (std::find(node.sinks.begin(), node.sinks.end(), sink) == node.sinks.end()) node.sinks.push_back(sink);
  }
  if (function.indirect_calls && !node.indirect_calls) {
    node.indirect_calls = true;
    node.first_indirect_call = function.first_indirect_call;
  }
  for (const CallFact& call : function.calls) add_call(index, call);
}

std::optional<std::size_t> CallGraph::find(const std::string& id) const {
  const auto found = index_.find(id);
  if (found == index_.end()) return std::nullopt;
  return found->second;
}

std::vector<std::size_t> CallGraph::find_by_name(const std::string& qualified_name) const {
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].name == qualified_name) found.push_back(i);
  }
  return found;
}

void CallGraph::overriders_of(std::size_t method, std::vector<std::size_t>& out) const {
  const auto found = overriders_.find(method);
  if (found == overriders_.end()) return;
  for (const std::size_t derived : found->second) {
    if (std::find(out.begin(), out.end(), derived) != out.end()) continue;
    out.push_back(derived);
    overriders_of(derived, out);
  }
}

Reach CallGraph::reach_from(std::size_t start) const {
  Reach reach;
  reach.start_ = start;
  reach.seen_.assign(nodes_.size(), false);
  reach.via_.resize(nodes_.size());
  std::deque<std::size_t> queue;
  const auto visit = [&](const Step& step) {
    if (reach.seen_[step.callee]) return;
    reach.seen_[step.callee] = true;
    reach.via_[step.callee] = step;
    reach.order_.push_back(step.callee);
    queue.push_back(step.callee);
  };
  reach.seen_[start] = true;
  reach.order_.push_back(start);
  queue.push_back(start);
  std::vector<std::size_t> overriders;
  while (!queue.empty()) {
    const std::size_t current = queue.front();
    queue.pop_front();
    const GraphNode& node = nodes_[current];
    for (const CallFact& call : node.calls) {
      const std::size_t callee = index_.at(call.callee);
      visit({current, callee, call.kind, false, call.where});
      if (call.kind != CallKind::Virtual) continue;
      overriders.clear();
      overriders_of(callee, overriders);
      for (const std::size_t derived : overriders) visit({current, derived, call.kind, false, call.where});
    }
    if (!node.indirect_calls) continue;
    for (const std::size_t target : address_taken_) {
      visit({current, target, CallKind::Direct, true, node.first_indirect_call});
      overriders.clear();
      overriders_of(target, overriders);
      for (const std::size_t derived : overriders) {
        visit({current, derived, CallKind::Direct, true, node.first_indirect_call});
      }
    }
  }
  return reach;
}

}  // namespace pmc::audit
