// JSON form of the per-unit facts (nlohmann): what the cache and a shard write, what merging reads.
#include "facts/facts.hpp"

#include <nlohmann/json.hpp>

namespace pmc::audit {

NLOHMANN_JSON_SERIALIZE_ENUM(CallKind, {{CallKind::Direct, "direct"},
                                        {CallKind::Virtual, "virtual"},
                                        {CallKind::Lambda, "lambda"},
                                        {CallKind::Construct, "construct"},
                                        {CallKind::Callback, "callback"},
                                        {CallKind::Startup, "startup"}})
NLOHMANN_JSON_SERIALIZE_ENUM(SinkKind, {{SinkKind::Sql, "sql"},
                                        {SinkKind::Connection, "connection"},
                                        {SinkKind::Spawn, "spawn"},
                                        {SinkKind::DynamicLookup, "dynamic-lookup"}})

void to_json(nlohmann::json& out, const SourceLocation& location) {
  out = nlohmann::json::array({location.file, location.line, location.column});
}

void from_json(const nlohmann::json& in, SourceLocation& location) {
  in.at(0).get_to(location.file);
  in.at(1).get_to(location.line);
  in.at(2).get_to(location.column);
}

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CallFact, callee, callee_name, kind, where)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SinkArgument, literal, text)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FunctionFact, id, name, where, calls, sinks,
                                                indirect_calls, first_indirect_call)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TryFact, where, handler_carries_on, handler)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(MainFact, id, unit_init, where, parameters,
                                                has_statement, statement_kind, statement,
                                                statement_from_macro, tries, conditional_before,
                                                conditional, is_call, callee, callee_name, call,
                                                callee_name_from_macro, callee_definition,
                                                argument_parameters)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(InitCallee, id, name, in_system_header)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DynamicInitFact, variable, where, callees)
NLOHMANN_JSON_SERIALIZE_ENUM(EnvironmentAccess, {{EnvironmentAccess::Read, "read"},
                                                 {EnvironmentAccess::Write, "write"}})
NLOHMANN_JSON_SERIALIZE_ENUM(NameKind, {{NameKind::Variable, "variable"},
                                        {NameKind::Field, "field"},
                                        {NameKind::Function, "function"},
                                        {NameKind::Enumerator, "enumerator"},
                                        {NameKind::MacroDefined, "macro-defined"},
                                        {NameKind::MacroTested, "macro-tested"},
                                        {NameKind::MacroExpanded, "macro-expanded"}})
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(EnvironmentFact, access, function, literal, name, where)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(OptionFact, option, where)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(NameFact, name, kind, function_like, where)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SqlTextFact, function, text, where, at_sql_call)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SqlCallFact, function, callee, where, dynamic,
                                                dynamic_part, builders)

void to_json(nlohmann::json& out, const SinkFact& sink) {
  out = nlohmann::json{{"kind", sink.kind},
                       {"function", sink.function},
                       {"where", sink.where},
                       {"arguments", sink.arguments},
                       {"command_argument", sink.command_argument},
                       {"address_taken", sink.address_taken}};
}

void from_json(const nlohmann::json& in, SinkFact& sink) {
  in.at("kind").get_to(sink.kind);
  in.at("function").get_to(sink.function);
  in.at("where").get_to(sink.where);
  in.at("arguments").get_to(sink.arguments);
  in.at("command_argument").get_to(sink.command_argument);
  in.at("address_taken").get_to(sink.address_taken);
}

void to_json(nlohmann::json& out, const UnitFacts& facts) {
  out = nlohmann::json{{"source", facts.source},
                       {"functions", facts.functions},
                       {"address_taken", facts.address_taken},
                       {"overrides", facts.overrides},
                       {"categories", facts.categories},
                       {"mains", facts.mains},
                       {"dynamic_inits", facts.dynamic_inits},
                       {"environment", facts.environment},
                       {"options", facts.options},
                       {"bypass_names", facts.bypass_names},
                       {"sql_texts", facts.sql_texts},
                       {"sql_calls", facts.sql_calls}};
}

void from_json(const nlohmann::json& in, UnitFacts& facts) {
  in.at("source").get_to(facts.source);
  in.at("functions").get_to(facts.functions);
  in.at("address_taken").get_to(facts.address_taken);
  in.at("overrides").get_to(facts.overrides);
  in.at("categories").get_to(facts.categories);
  in.at("mains").get_to(facts.mains);
  in.at("dynamic_inits").get_to(facts.dynamic_inits);
  in.at("environment").get_to(facts.environment);
  in.at("options").get_to(facts.options);
  in.at("bypass_names").get_to(facts.bypass_names);
  in.at("sql_texts").get_to(facts.sql_texts);
  in.at("sql_calls").get_to(facts.sql_calls);
}

const char* to_string(SinkKind kind) {
  switch (kind) {
    case SinkKind::Sql: return "SQL";
    case SinkKind::Connection: return "connection";
    case SinkKind::Spawn: return "process spawn";
    case SinkKind::DynamicLookup: return "run-time look-up";
  }
  return "sink";
}

const char* to_string(NameKind kind) {
  switch (kind) {
    case NameKind::Variable: return "variable";
    case NameKind::Field: return "member";
    case NameKind::Function: return "function";
    case NameKind::Enumerator: return "enumerator";
    case NameKind::MacroDefined: return "macro defined";
    case NameKind::MacroTested: return "macro tested";
    case NameKind::MacroExpanded: return "macro used";
  }
  return "name";
}

}  // namespace pmc::audit
