// The extractor: a migration script in, its net effect on the catalog out (resolution/effects.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pmc/resolution/effects.hpp"

namespace pmc::resolution {

// Parses the script with PostgreSQL's parser (DO blocks with the PL/pgSQL parser) and lists every
// object it creates, alters, renames or drops, names resolved as PostgreSQL resolves them, plus
// what the catalog cannot show. Throws pmc::sql::ParseError when the script does not parse.
MigrationEffects extract_effects(std::string_view script);

// A default expression as the catalog prints it (pg_get_expr) in the form ColumnExpectation's
// default_sql has, so the two compare equal when they mean the same; nullopt if it does not parse.
std::optional<std::string> normalized_default(std::string_view expression);

}  // namespace pmc::resolution
