// Which files are contract code: entry points, what they reach, and the runtime.
#include "rules/contract_code.hpp"

#include <algorithm>

namespace pmc::audit {
namespace {

std::string top_folder(const std::string& path) {
  const std::size_t slash = path.find('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

}  // namespace

ContractCode::ContractCode(const AuditContext& context) {
  const contract::Contract& contract = context.contract;
  std::set<std::string> sources;
  for (const contract::EntryPoint& entry : contract.entry_points) sources.insert(entry.source);
  for (const contract::ReadOnlyHelper& helper : contract.read_only_helpers) sources.insert(helper.source);
  for (const std::string& source : sources) files_.insert(context.repository.absolute(source));

  std::set<std::string> runtime;
  for (const contract::Guard& guard : contract.guards) runtime.insert(top_folder(guard.definition));
  runtime.insert(top_folder(contract.validating_connect.definition));
  for (const std::string& folder : runtime) {
    if (!folder.empty()) prefixes_.push_back(context.repository.absolute(folder));
  }

  for (const MainFact& main : context.graph.mains()) {
    if (sources.count(context.relative(main.where)) == 0) continue;
    const std::optional<std::size_t> start = context.graph.find(main.id);
    if (!start) continue;
    const Reach reach = context.graph.reach_from(*start);
    for (const std::size_t index : reach.order()) {
      for (const SourceLocation& definition : context.graph.node(index).definitions) {
        files_.insert(definition.file);
      }
    }
  }
}

bool ContractCode::contains(const SourceLocation& where) const {
  if (files_.count(where.file) != 0) return true;
  return std::any_of(prefixes_.begin(), prefixes_.end(),
                     [&](const std::string& prefix) { return where.file.rfind(prefix, 0) == 0; });
}

bool reportable(const AuditContext& context, const SourceLocation& where) {
  const std::string path = context.relative(where);
  return !path.empty() && !context.contract.is_excluded(path);
}

}  // namespace pmc::audit
