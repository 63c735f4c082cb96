// The repository's call graph: every unit's facts merged by function id, with virtual calls
// reaching every override and calls through pointers reaching every address-taken function.
// Plain C++: rules ask it what a main can reach and by which path.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "facts/facts.hpp"

namespace pmc::audit {

struct GraphNode {
  std::string id;
  std::string name;
  std::vector<SourceLocation> definitions;
  std::vector<CallFact> calls;
  std::vector<SinkFact> sinks;
  std::vector<std::string> categories;  // PMC_MUTATION
  bool indirect_calls = false;
  SourceLocation first_indirect_call;
  bool address_taken = false;
};

// One edge of a path: the caller, the callee, and the call site in the caller.
struct Step {
  std::size_t caller = 0;
  std::size_t callee = 0;
  CallKind kind = CallKind::Direct;
  bool indirect = false;  // through a pointer: the callee is one of the address-taken functions
  SourceLocation where;
};

class Reach {
 public:
  bool reached(std::size_t node) const { return node < seen_.size() && seen_[node]; }
  const std::vector<std::size_t>& order() const { return order_; }  // breadth-first
  std::vector<Step> path_to(std::size_t node) const;                 // shortest, from the start

 private:
  friend class CallGraph;
  std::size_t start_ = 0;
  std::vector<bool> seen_;
  std::vector<Step> via_;
  std::vector<std::size_t> order_;
};

struct UnitInit {  // a namespace-scope variable of a unit's main file and what initialises it
  std::string unit;
  DynamicInitFact variable;
};

class CallGraph {
 public:
  explicit CallGraph(const std::vector<UnitFacts>& units);

  std::size_t size() const { return nodes_.size(); }
  const GraphNode& node(std::size_t index) const { return nodes_[index]; }
  std::optional<std::size_t> find(const std::string& id) const;
  std::vector<std::size_t> find_by_name(const std::string& qualified_name) const;

  const std::vector<MainFact>& mains() const { return mains_; }
  const std::vector<UnitInit>& dynamic_inits() const { return dynamic_inits_; }

  Reach reach_from(std::size_t start) const;

 private:
  std::size_t intern(const std::string& id, const std::string& name);
  void merge(const FunctionFact& function);
  void add_call(std::size_t caller, const CallFact& call);
  void overriders_of(std::size_t method, std::vector<std::size_t>& out) const;

  std::vector<GraphNode> nodes_;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::unordered_map<std::string, bool>> call_keys_;  // per node: calls already held
  std::unordered_map<std::size_t, std::vector<std::size_t>> overriders_;  // method -> overrides
  std::vector<std::size_t> address_taken_;
  std::vector<MainFact> mains_;
  std::vector<UnitInit> dynamic_inits_;
};

}  // namespace pmc::audit
