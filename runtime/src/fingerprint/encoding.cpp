// The canonical encoding of a fingerprint and its SHA-256 checksum.
#include <openssl/evp.h>

#include <array>
#include <stdexcept>

#include "pmc/fingerprint.hpp"

namespace pmc::fingerprint {
namespace {

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append("=").append(std::to_string(value.size())).append(":");
  out.append(value).append("\n");
}

}  // namespace

bool is_valid_environment_name(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (name.front() < 'a' || name.front() > 'z') return false;
  for (char c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!allowed) return false;
  }
  return true;
}

std::string canonical_encoding(const Fingerprint& fingerprint) {
  std::string out = "pmc-fingerprint\n";
  append_field(out, "format_version", std::to_string(fingerprint.format_version));
  append_field(out, "environment", fingerprint.environment);
  append_field(out, "database_oid", fingerprint.binding.database_oid);
  append_field(out, "database_name", fingerprint.binding.database_name);
  if (fingerprint.binding.system_identifier) {
    append_field(out, "system_identifier", *fingerprint.binding.system_identifier);
  } else {
    out.append("system_identifier=null\n");
  }
  return out;
}

std::string checksum(const Fingerprint& fingerprint) {
  const std::string bytes = canonical_encoding(fingerprint);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL could not compute SHA-256");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

std::optional<Fingerprint> intact_fingerprint(const StoredRow& row) {
  if (row.format_version != std::to_string(kFormatVersion)) return std::nullopt;
  Fingerprint fingerprint;
  fingerprint.environment = row.environment;
  fingerprint.binding = {row.database_oid, row.database_name, row.system_identifier};
  if (checksum(fingerprint) != row.checksum) return std::nullopt;
  if (!is_valid_environment_name(row.environment)) return std::nullopt;
  return fingerprint;
}

std::string describe(const Binding& binding) {
  return "database \"" + binding.database_name + "\" (OID " + binding.database_oid +
         ") in the cluster with system identifier " +
         binding.system_identifier.value_or("(not readable)");
}

}  // namespace pmc::fingerprint
