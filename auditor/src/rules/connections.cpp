// connections: no database connection is opened except through the runtime's validating connect;
// only the database layer calls libpq's connection functions.
#include <algorithm>
#include <memory>

#include "rules/rule.hpp"

namespace pmc::audit {
namespace {

class ConnectionsRule : public Rule {
 public:
  std::string_view id() const override { return "connections"; }
  std::string_view summary() const override {
    return "connections are opened only through the runtime's fingerprint-validating connect";
  }
  std::string_view explanation() const override {
    return "A call of one of the contract's connection functions (PQconnectdb and its kin, a "
           "C++ client's connection constructor), its address taken, or a run-time look-up that "
           "may find one, is a finding anywhere outside the runtime's database layer (the "
           "contract's validating_connect.layer): everything else connects through the "
           "validating connect, which checks the database's environment fingerprint first. The "
           "connect functions the contract names must be defined only in its validating-connect "
           "source, so that a same-named function elsewhere cannot stand in. Reported at the "
           "call, or at the stray definition.";
  }

  void check(const AuditContext& context, Findings& findings) const override {
    const std::string layer = context.contract.validating_connect.layer;
    for (std::size_t index = 0; index < context.graph.size(); ++index) {
      for (const SinkFact& sink : context.graph.node(index).sinks) {
        const bool opens = sink.kind == SinkKind::Connection || context.sinks.may_find_connection(sink);
        if (!opens || context.relative(sink.where).empty() || context.in_database_layer(sink.where)) continue;
        std::string what = sink.kind == SinkKind::DynamicLookup ? context.sinks.describe(sink)
                         : sink.address_taken ? "the address of '" + sink.function + "' is taken, so it may be called"
                                              : "'" + sink.function + "' opens a database connection";
        findings.add({std::string(id()), severity(), sink.where,
                      what + " outside the runtime's database layer (" + layer + "); connect through " +
                          connect_functions(context.contract),
                      {}});
      }
    }
    check_definitions(context, findings);
  }

 private:
  void check_definitions(const AuditContext& context, Findings& findings) const {
    const contract::ValidatingConnect& connect = context.contract.validating_connect;
    const std::string expected = context.repository.absolute(connect.definition);
    std::vector<std::string> names = connect.functions;
    names.insert(names.end(), connect.writable_functions.begin(), connect.writable_functions.end());
    for (const std::string& name : names) {
      for (const std::size_t index : context.graph.find_by_name(name)) {
        for (const SourceLocation& definition : context.graph.node(index).definitions) {
          if (definition.file == expected || context.relative(definition).empty()) continue;
          findings.add({std::string(id()), severity(), definition,
                        "'" + name + "' is defined here, outside the runtime's validating connect in " +
                            connect.definition + "; only that definition may open connections",
                        {}});
        }
      }
    }
  }

  static std::string connect_functions(const contract::Contract& contract) {
    std::string text;
    const auto& functions = contract.validating_connect.functions;
    for (std::size_t i = 0; i < functions.size(); ++i) {
      if (i > 0) text += i + 1 == functions.size() ? " or " : ", ";
      text += "'" + functions[i] + "'";
    }
    return text;
  }
};

}  // namespace

std::unique_ptr<Rule> make_connections_rule() { return std::make_unique<ConnectionsRule>(); }

}  // namespace pmc::audit
