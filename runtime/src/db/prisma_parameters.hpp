// Internal to the database layer: the parameters Prisma adds to a PostgreSQL URL (`?schema=`,
// `connection_limit`, …), taken out of the URL before libpq reads it, and what pmc makes of them.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace pmc::db {

struct DatabaseUrl {
  std::string libpq_url;              // the URL without Prisma's parameters: what libpq reads
  std::optional<std::string> schema;  // ?schema=: the session's search_path, as Prisma sets it
  // ?socket_timeout= (seconds): Prisma's limit on one query, kept as the statement timeout.
  std::optional<std::chrono::milliseconds> socket_timeout;
};

// Splits Prisma's parameters off a `postgresql://` / `postgres://` URL. Pool and engine settings
// that mean nothing for one libpq session are checked as Prisma checks them, then dropped;
// everything else stays for libpq, which refuses names it does not know. Keyword/value strings
// come back unchanged. Throws PMC-C001 (exit 2) naming the parameter and what is wrong with it.
DatabaseUrl read_database_url(const std::string& url);

// The `options` connection parameter's argument that makes `schema` the whole search_path, as
// Prisma's engine does: the name quoted as an identifier, then escaped for the server's
// splitting of `options` at unescaped spaces.
std::string search_path_option(const std::string& schema);

}  // namespace pmc::db
