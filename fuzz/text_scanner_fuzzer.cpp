// libFuzzer target: pmc-audit's text-rule scanner (text/text_scanner: the contract's bypass
// patterns over a non-C++ file, matches in '#' comments dropped) on arbitrary file contents, with
// the embedded contract's patterns. Every match it reports must be a token of the text at the line
// and column it gives, outside a comment, one per token, in file order.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "classify/bypass_patterns.hpp"
#include "pmc/contract.hpp"
#include "text/text_scanner.hpp"

namespace {

const pmc::audit::TextScanner& scanner() {
  static const pmc::audit::BypassPatterns patterns(pmc::contract::embedded().bypass.name_patterns,
                                                   pmc::contract::embedded().bypass.flag_patterns);
  static const pmc::audit::TextScanner scanner(patterns);
  return scanner;
}

// The byte offset of a 1-based line and byte column, or npos when the text has no such place.
std::size_t offset_of(std::string_view text, unsigned line, unsigned column) {
  std::size_t start = 0;
  for (unsigned current = 1; current < line; ++current) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) return std::string_view::npos;
    ++start;
  }
  const std::size_t end = std::min(text.find('\n', start), text.size());
  const std::size_t offset = start + column - 1;
  return column >= 1 && offset < end ? offset : std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::vector<pmc::audit::TextMatch> matches = scanner().scan(text);
  std::size_t previous = 0;
  for (std::size_t i = 0; i < matches.size(); ++i) {
    const pmc::audit::TextMatch& match = matches[i];
    if (match.token.empty() || match.pattern.empty()) std::abort();
    const std::size_t offset = offset_of(text, match.line, match.column);
    if (offset == std::string_view::npos || (i > 0 && offset <= previous)) std::abort();
    if (text.substr(offset, match.token.size()) != match.token) std::abort();
    if (pmc::audit::in_hash_comment(text, offset)) std::abort();
    previous = offset;
  }
  return 0;
}
