// SHA-256 (OpenSSL EVP) as lower-case hex: cache keys, input hashes, SARIF fingerprints.
#pragma once

#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace pmc::audit {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void add(std::string_view data);
  std::string hex();  // finishes the hash

 private:
  evp_md_ctx_st* context_;
};

std::string sha256_hex(std::string_view data);
// "" when the file cannot be read.
std::string sha256_file_hex(const std::string& path);

}  // namespace pmc::audit
