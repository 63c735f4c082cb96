// Decides whether a sink call can mutate a database (design.md, "Mutation categories"): SQL that
// is not a read-only literal, spawns of database tools or of commands that are not literals, and
// run-time look-ups of sink names. Plain C++; the rules share one judge.
#pragma once

#include <string>
#include <unordered_map>

#include "facts/facts.hpp"
#include "pmc/contract.hpp"

namespace pmc::audit {

class SinkJudge {
 public:
  explicit SinkJudge(const contract::Contract& contract);

  bool mutates(const SinkFact& sink) const;
  // Why, in words, for messages: "PQexec with SQL that is not read-only".
  std::string describe(const SinkFact& sink) const;
  // Whether a look-up (dlsym) may find a connection function.
  bool may_find_connection(const SinkFact& sink) const;

 private:
  bool sql_mutates(const SinkFact& sink) const;
  bool spawn_mutates(const SinkFact& sink) const;
  bool lookup_mutates(const SinkFact& sink) const;
  bool names_database_tool(const std::string& command_text) const;

  const contract::Contract& contract_;
  mutable std::unordered_map<std::string, bool> read_only_sql_;  // literal -> read-only
};

}  // namespace pmc::audit
