// Migration checksums exactly as Prisma computes and compares them (SHA-256 of migration.sql).
#pragma once

#include <string>
#include <string_view>

namespace pmc::migrations {

// 64 lowercase hex digits of SHA-256 over the script's bytes: the value Prisma stores.
std::string checksum_of(std::string_view script);

// Whether a stored checksum belongs to this script as Prisma decides it: the bytes as they are,
// with CRLF turned into LF, or with LF turned into CRLF (git rewrites line endings), and the
// unpadded hex that old Prisma versions wrote (prisma-engines issue 1887).
bool checksum_matches(std::string_view script, std::string_view stored_checksum);

}  // namespace pmc::migrations
