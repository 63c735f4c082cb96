// A finding: a rule's verdict at a place, with notes (the call path to a sink, the definition
// that shadows the guard …). Plain data.
#pragma once

#include <string>
#include <vector>

#include "facts/facts.hpp"

namespace pmc::audit {

enum class Severity { Error, Warning };

struct Note {
  SourceLocation where;
  std::string message;
};

struct Finding {
  std::string rule;
  Severity severity = Severity::Error;
  SourceLocation where;
  std::string message;
  std::vector<Note> notes;
};

const char* to_string(Severity severity);

// Findings in a stable order, each reported once: headers seen from several units, and several
// compile commands for one file, find the same thing more than once.
class Findings {
 public:
  void add(Finding finding);
  std::vector<Finding> sorted() const;
  std::size_t size() const { return findings_.size(); }

 private:
  std::vector<Finding> findings_;
};

}  // namespace pmc::audit
