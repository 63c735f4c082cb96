// Objects, actions and concerns in words, for reports: names quoted where PostgreSQL needs quotes.
#include <string>

#include "pmc/resolution/effects.hpp"

namespace pmc::resolution {
namespace {

bool plain_identifier(const std::string& name) {
  if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_')) return false;
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$')) return false;
  }
  return true;
}

std::string quoted(const std::string& name) {
  return plain_identifier(name) ? name : quoted_identifier(name);
}

std::string in_schema(const std::string& schema, const std::string& name) {
  return schema.empty() ? quoted(name) : quoted(schema) + "." + quoted(name);
}

// The text between two `quote`s, inner ones doubled: SQL's string constants and quoted names.
std::string enclosed(const std::string& text, char quote) {
  std::string out(1, quote);
  for (const char c : text) {
    out += c;
    if (c == quote) out += quote;
  }
  return out + quote;
}

std::string literal(const std::string& value) { return enclosed(value, '\''); }

}  // namespace

std::string quoted_identifier(const std::string& name) { return enclosed(name, '"'); }

std::string kind_name(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::Schema:
      return "schema";
    case ObjectKind::Table:
      return "table";
    case ObjectKind::Column:
      return "column";
    case ObjectKind::EnumType:
      return "enum type";
    case ObjectKind::EnumValue:
      return "enum value";
    case ObjectKind::Index:
      return "index";
    case ObjectKind::Constraint:
      return "constraint";
    case ObjectKind::Sequence:
      return "sequence";
    case ObjectKind::View:
      return "view";
    case ObjectKind::Extension:
      return "extension";
  }
  return "object";
}

std::string describe(const ObjectName& object) {
  const std::string kind = kind_name(object.kind);
  switch (object.kind) {
    case ObjectKind::Schema:
    case ObjectKind::Extension:
      return kind + " " + quoted(object.name);
    case ObjectKind::Column:
      return kind + " " + in_schema(object.schema, object.parent) + "." + quoted(object.name);
    case ObjectKind::EnumValue:
      return kind + " " + literal(object.name) + " of " + in_schema(object.schema, object.parent);
    case ObjectKind::Constraint:
      return kind + " " + quoted(object.name) + " on " + in_schema(object.schema, object.parent);
    case ObjectKind::Index:
      return kind + " " + in_schema(object.schema, object.name) +
             (object.parent.empty() ? "" : " on " + quoted(object.parent));
    default:
      return kind + " " + in_schema(object.schema, object.name);
  }
}

std::string action_name(Action action) {
  switch (action) {
    case Action::Create:
      return "create";
    case Action::Alter:
      return "alter";
    case Action::Rename:
      return "rename";
    case Action::Drop:
      return "drop";
  }
  return "change";
}

std::string concern_name(Concern concern) {
  switch (concern) {
    case Concern::DataChange:
      return "data-change";
    case Concern::DynamicSql:
      return "dynamic-sql";
    case Concern::Indistinguishable:
      return "indistinguishable";
    case Concern::Unsupported:
      return "unsupported";
  }
  return "concern";
}

}  // namespace pmc::resolution
