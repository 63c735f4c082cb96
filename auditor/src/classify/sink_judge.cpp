// The sink rules of the contract, applied to the arguments the collector recorded.
#include "classify/sink_judge.hpp"

#include <algorithm>

#include "classify/sql_effect.hpp"

namespace pmc::audit {
namespace {

std::string base_name(const std::string& word) {
  const std::size_t slash = word.rfind('/');
  return slash == std::string::npos ? word : word.substr(slash + 1);
}

std::string last_component(const std::string& qualified) {
  const std::size_t colon = qualified.rfind("::");
  return colon == std::string::npos ? qualified : qualified.substr(colon + 2);
}

// Words of a command as a shell would split them, roughly: blanks and the shell's operators.
std::vector<std::string> command_words(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : text) {
    if (std::string_view(" \t\n;&|()<>`$\"'=").find(c) != std::string_view::npos) {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// Programs that run another program named in their arguments.
bool is_launcher(const std::string& program) {
  static const char* const kLaunchers[] = {"sh", "bash", "dash", "zsh", "ksh", "env", "xargs",
                                           "sudo", "nohup", "timeout", "nice", "exec", "busybox"};
  return std::find(std::begin(kLaunchers), std::end(kLaunchers), base_name(program)) !=
         std::end(kLaunchers);
}

const SinkArgument* argument_at(const SinkFact& sink, int index) {
  if (index < 0 || static_cast<std::size_t>(index) >= sink.arguments.size()) return nullptr;
  return &sink.arguments[static_cast<std::size_t>(index)];
}

}  // namespace

SinkJudge::SinkJudge(const contract::Contract& contract) : contract_(contract) {}

bool SinkJudge::mutates(const SinkFact& sink) const {
  if (sink.address_taken) return sink.kind != SinkKind::Connection;
  switch (sink.kind) {
    case SinkKind::Sql: return sql_mutates(sink);
    case SinkKind::Connection: return false;  // opening is the connections rule's matter
    case SinkKind::Spawn: return spawn_mutates(sink);
    case SinkKind::DynamicLookup: return lookup_mutates(sink);
  }
  return true;
}

// Read-only only when some literal argument parses as SQL, and every such literal only reads.
bool SinkJudge::sql_mutates(const SinkFact& sink) const {
  bool read_only_sql = false;
  for (const SinkArgument& argument : sink.arguments) {
    if (!argument.literal) continue;
    auto found = read_only_sql_.find(argument.text);
    if (found == read_only_sql_.end()) {
      const SqlEffect effect = sql_effect(argument.text, contract_.sinks.state_changing_sql_functions);
      if (effect == SqlEffect::NotSql) continue;
      found = read_only_sql_.emplace(argument.text, effect == SqlEffect::ReadOnly).first;
    }
    if (!found->second) return true;
    read_only_sql = true;
  }
  return !read_only_sql;
}

bool SinkJudge::names_database_tool(const std::string& command_text) const {
  for (const std::string& word : command_words(command_text)) {
    const std::string name = base_name(word);
    if (std::find(contract_.sinks.database_tools.begin(), contract_.sinks.database_tools.end(),
                  name) != contract_.sinks.database_tools.end()) {
      return true;
    }
  }
  return false;
}

bool SinkJudge::spawn_mutates(const SinkFact& sink) const {
  const SinkArgument* program = argument_at(sink, sink.command_argument);
  if (program == nullptr || !program->literal) return true;  // a command built at run time
  bool any_other_dynamic = false;
  for (const SinkArgument& argument : sink.arguments) {
    if (argument.literal && names_database_tool(argument.text)) return true;
    if (!argument.literal && &argument != program) any_other_dynamic = true;
  }
  const std::vector<std::string> words = command_words(program->text);
  const bool launches = !words.empty() && is_launcher(words.front());
  return launches && any_other_dynamic;  // sh -c <built at run time>
}

bool SinkJudge::lookup_mutates(const SinkFact& sink) const {
  // dlsym(handle, name): the name is the second argument.
  if (sink.arguments.size() < 2 || !sink.arguments[1].literal) return true;
  const SinkArgument* name = &sink.arguments[1];
  for (const auto* list : {&contract_.sinks.sql_functions, &contract_.sinks.spawn_functions,
                           &contract_.sinks.connection_functions}) {
    for (const std::string& function : *list) {
      if (last_component(function) == name->text) return true;
    }
  }
  return false;
}

bool SinkJudge::may_find_connection(const SinkFact& sink) const {
  if (sink.kind != SinkKind::DynamicLookup) return false;
  if (sink.arguments.size() < 2 || !sink.arguments[1].literal) return true;
  for (const std::string& function : contract_.sinks.connection_functions) {
    if (last_component(function) == sink.arguments[1].text) return true;
  }
  return false;
}

std::string SinkJudge::describe(const SinkFact& sink) const {
  if (sink.address_taken) return "'" + sink.function + "' (its address is taken, so it may be called anywhere)";
  switch (sink.kind) {
    case SinkKind::Sql: {
      for (const SinkArgument& argument : sink.arguments) {
        if (argument.literal && sql_effect(argument.text, contract_.sinks.state_changing_sql_functions) ==
                                    SqlEffect::Mutating) {
          std::string text = argument.text.size() > 60 ? argument.text.substr(0, 57) + "..." : argument.text;
          return "'" + sink.function + "' with SQL that changes data (\"" + text + "\")";
        }
      }
      return "'" + sink.function + "' with SQL that is not a read-only string literal";
    }
    case SinkKind::Connection: return "'" + sink.function + "', which opens a database connection";
    case SinkKind::Spawn: {
      const SinkArgument* program = argument_at(sink, sink.command_argument);
      if (program == nullptr || !program->literal) {
        return "'" + sink.function + "' running a command that is not a string literal";
      }
      return "'" + sink.function + "' running \"" + program->text + "\"";
    }
    case SinkKind::DynamicLookup: {
      if (sink.arguments.size() < 2 || !sink.arguments[1].literal) {
        return "'" + sink.function + "' looking up a name that is not a string literal";
      }
      return "'" + sink.function + "' looking up \"" + sink.arguments[1].text + "\"";
    }
  }
  return "'" + sink.function + "'";
}

}  // namespace pmc::audit
