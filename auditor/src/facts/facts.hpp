// The facts pmc-audit collects from one translation unit: plain data, serialisable to JSON, so
// that units can be collected on several machines (--shard) and merged before the rules judge.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace pmc::audit {

struct SourceLocation {
  std::string file;  // absolute path
  unsigned line = 0;
  unsigned column = 0;  // 1-based, in bytes (as clang counts)
  bool valid() const { return !file.empty() && line > 0; }
  bool operator==(const SourceLocation&) const = default;
  auto operator<=>(const SourceLocation&) const = default;
};

enum class CallKind {
  Direct,     // a call of a known function, or a non-virtual member call
  Virtual,    // a virtual call: reaches the method and every override in the repository
  Lambda,     // a lambda written here: assumed called by the function that writes it
  Construct,  // a constructor, or the destructor of an object that lives here
  Callback,   // a function handed to a library function, which may call it
  Startup,    // main's unit runs its namespace-scope initialisers before main (graph only)
};

struct CallFact {
  std::string callee;       // function id (see FunctionFact::id)
  std::string callee_name;  // qualified, for messages
  CallKind kind = CallKind::Direct;
  SourceLocation where;
  bool operator==(const CallFact&) const = default;
};

enum class SinkKind { Sql, Connection, Spawn, DynamicLookup };

// One argument of a sink call: a string literal's text (adjacent literals joined, looked through
// named constants and std::string construction), or something that is not a literal.
struct SinkArgument {
  bool literal = false;
  std::string text;
  bool operator==(const SinkArgument&) const = default;
};

struct SinkFact {
  SinkKind kind = SinkKind::Sql;
  std::string function;  // the contract's name of the sink
  SourceLocation where;
  std::vector<SinkArgument> arguments;
  int command_argument = -1;   // the first argument of type char*: a spawn's program
  bool address_taken = false;  // referred to, not called: it may be called from anywhere
  bool operator==(const SinkFact&) const = default;
};

struct FunctionFact {
  // The function's USR; internal-linkage functions add "@<file>"; lambdas are
  // "lambda:<file>:<offset>", a main is "main:<file>", a unit's namespace-scope initialisers are
  // "init:<unit source>". Template instantiations are folded into their pattern.
  std::string id;
  std::string name;  // qualified, for messages
  SourceLocation where;
  std::vector<CallFact> calls;
  std::vector<SinkFact> sinks;
  bool indirect_calls = false;  // calls through a pointer: may reach any address-taken function
  SourceLocation first_indirect_call;
};

// A try block around main's first statement (main's function-try-block included).
struct TryFact {
  SourceLocation where;
  bool handler_carries_on = false;  // some handler can end without returning, throwing or exiting
  SourceLocation handler;           // the first such handler
  bool operator==(const TryFact&) const = default;
};

// main() and its first statement, looked through try blocks and a declaration's initialiser.
struct MainFact {
  std::string id;         // "main:<file>"
  std::string unit_init;  // the id of its unit's namespace-scope initialisers
  SourceLocation where;
  unsigned parameters = 0;
  bool has_statement = false;
  std::string statement_kind;  // "declaration", "expression", "if statement", …
  SourceLocation statement;
  bool statement_from_macro = false;
  std::vector<TryFact> tries;       // outermost first
  bool conditional_before = false;  // a preprocessor conditional in main up to the statement
  SourceLocation conditional;       // its #if/#ifdef/#ifndef
  bool is_call = false;             // the statement is one call (or declares one variable with it)
  std::string callee;
  std::string callee_name;
  SourceLocation call;
  bool callee_name_from_macro = false;
  std::string callee_definition;         // the file where this unit defines the callee, if it does
  std::vector<int> argument_parameters;  // per argument: index of main's parameter it names, or -1
  bool operator==(const MainFact&) const = default;
};

struct InitCallee {
  std::string id;
  std::string name;  // qualified
  bool in_system_header = false;
  bool operator==(const InitCallee&) const = default;
};

// A namespace-scope variable of the unit's main file whose initialiser runs code.
struct DynamicInitFact {
  std::string variable;
  SourceLocation where;
  std::vector<InitCallee> callees;
  bool operator==(const DynamicInitFact&) const = default;
};

// A read or write of an environment variable: getenv, secure_getenv and CLI11's envname read;
// setenv, putenv, unsetenv, clearenv and assignments through environ write.
enum class EnvironmentAccess { Read, Write };

struct EnvironmentFact {
  EnvironmentAccess access = EnvironmentAccess::Read;
  std::string function;  // getenv, setenv, putenv, unsetenv, clearenv, environ, envname …
  bool literal = false;  // the name is known: a string literal (putenv: the part before '=')
  std::string name;
  SourceLocation where;  // the name's literal, or the call when there is none
  bool operator==(const EnvironmentFact&) const = default;
};

// A string literal that is exactly a command-line option specification ("--force",
// "-f,--force") naming an option that matches a bypass flag pattern.
struct OptionFact {
  std::string option;  // the dashed option, as written
  SourceLocation where;
  bool operator==(const OptionFact&) const = default;
};

// A name matching a bypass name pattern, outside system headers: a declaration's, or a macro's.
enum class NameKind { Variable, Field, Function, Enumerator, MacroDefined, MacroTested, MacroExpanded };

struct NameFact {
  std::string name;
  NameKind kind = NameKind::Variable;
  bool function_like = false;  // a macro taking arguments (DISABLE_COPY(T)): code, not a switch
  SourceLocation where;
  bool operator==(const NameFact&) const = default;
};

// A string literal that may be SQL (its first word is a SQL statement keyword), in the function
// that uses it: written there, or a named constant it refers to (`where` is the literal itself).
// `at_sql_call`: the literal is (part of) a string argument of a SQL-taking call.
struct SqlTextFact {
  std::string function;  // function id
  std::string text;
  SourceLocation where;
  bool at_sql_call = false;
  bool operator==(const SqlTextFact&) const = default;
};

// A call of a SQL-taking function (a sink of the contract, or one of dynamic_sql.sql_functions):
// whether a string argument is built at run time from something other than literals and the
// builder calls it names.
struct SqlCallFact {
  std::string function;  // the caller's id
  std::string callee;    // qualified
  SourceLocation where;
  bool dynamic = false;
  SourceLocation dynamic_part;        // the first part that is neither a literal nor a builder call
  std::vector<std::string> builders;  // qualified names of the calls that built parts of it
  bool operator==(const SqlCallFact&) const = default;
};

struct UnitFacts {
  std::string source;                      // absolute path of the unit's main file
  std::vector<FunctionFact> functions;     // definitions outside system headers
  std::vector<std::string> address_taken;  // ids of functions whose address is taken
  std::map<std::string, std::vector<std::string>> overrides;   // method id -> overridden ids
  std::map<std::string, std::vector<std::string>> categories;  // function id -> PMC_MUTATION
  std::vector<MainFact> mains;
  std::vector<DynamicInitFact> dynamic_inits;
  std::vector<EnvironmentFact> environment;  // bypass rules
  std::vector<OptionFact> options;
  std::vector<NameFact> bypass_names;
  std::vector<SqlTextFact> sql_texts;  // sql rules
  std::vector<SqlCallFact> sql_calls;
};

void to_json(nlohmann::json& out, const SourceLocation& location);
void from_json(const nlohmann::json& in, SourceLocation& location);
void to_json(nlohmann::json& out, const SinkFact& sink);
void from_json(const nlohmann::json& in, SinkFact& sink);
void to_json(nlohmann::json& out, const UnitFacts& facts);
void from_json(const nlohmann::json& in, UnitFacts& facts);

const char* to_string(SinkKind kind);
const char* to_string(NameKind kind);

}  // namespace pmc::audit
