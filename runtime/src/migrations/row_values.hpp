// The values Prisma puts in a new `_prisma_migrations` row that are not the file's: its id and
// the client-clock timestamps.
#pragma once

#include <string>

namespace pmc::migrations {

// A random UUID version 4, lowercase with hyphens, from OpenSSL's RAND_bytes.
std::string new_row_id();

// Now, on this machine's clock, as a UTC timestamptz literal with microseconds.
std::string utc_now_timestamp();

}  // namespace pmc::migrations
