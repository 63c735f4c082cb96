// SHA-256 checksums of migration scripts, rendered and compared the way prisma-engines does.
#include "pmc/migrations/checksum.hpp"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace pmc::migrations {
namespace {

using Digest = std::array<unsigned char, 32>;

Digest sha256(std::string_view bytes) {
  Digest digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != digest.size()) {
    throw std::runtime_error("OpenSSL could not compute a SHA-256 digest");
  }
  return digest;
}

constexpr char kHexDigits[] = "0123456789abcdef";

std::string hex(const Digest& digest, bool zero_padded) {
  std::string out;
  out.reserve(64);
  for (const unsigned char byte : digest) {
    if (zero_padded || byte >= 16) out.push_back(kHexDigits[byte >> 4]);
    out.push_back(kHexDigits[byte & 15]);
  }
  return out;
}

std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(text.size());
  std::size_t start = 0;
  for (std::size_t at = text.find(from); at != std::string_view::npos;
       at = text.find(from, start)) {
    out.append(text.substr(start, at - start)).append(to);
    start = at + from.size();
  }
  out.append(text.substr(start));
  return out;
}

}  // namespace

std::string checksum_of(std::string_view script) { return hex(sha256(script), true); }

bool checksum_matches(std::string_view script, std::string_view stored_checksum) {
  // Prisma wrote unpadded hex before engines issue 1887; such checksums are shorter than 64.
  const bool old_format = !stored_checksum.empty() && stored_checksum.size() != 64;
  const auto matches = [&](std::string_view variant) {
    return hex(sha256(variant), !old_format) == stored_checksum;
  };
  // Same variants, same order as prisma-engines: as is, CRLF -> LF, LF -> CRLF (the last one
  // doubles the CR of an existing CRLF, exactly like Rust's str::replace).
  return matches(script) || matches(replace_all(script, "\r\n", "\n")) ||
         matches(replace_all(script, "\n", "\r\n"));
}

}  // namespace pmc::migrations
