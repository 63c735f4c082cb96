// The SAX handler builds the document itself and records, per JSON pointer, the line where the
// lexer stood when the key (or array element) was read. nlohmann reads its input through the
// iterator below, which counts the newlines consumed so far.
#include "located_json.hpp"

#include <iterator>
#include <vector>

#include "pmc/contract.hpp"

namespace pmc::contract {
namespace {

using nlohmann::json;

class LineCountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  LineCountingIterator(const char* position, int* line) : position_(position), line_(line) {}
  reference operator*() const { return *position_; }
  LineCountingIterator& operator++() {
    if (*position_ == '\n') ++*line_;
    ++position_;
    return *this;
  }
  LineCountingIterator operator++(int) {
    LineCountingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const LineCountingIterator& other) const { return position_ == other.position_; }
  bool operator!=(const LineCountingIterator& other) const { return !(*this == other); }

 private:
  const char* position_;
  int* line_;
};

class LocatingSax {
 public:
  LocatingSax(LocatedJson& out, const int& line, const std::string& origin)
      : out_(out), line_(line), origin_(origin) {}

  bool null() { return put(nullptr); }
  bool boolean(bool v) { return put(v); }
  bool number_integer(json::number_integer_t v) { return put(v); }
  bool number_unsigned(json::number_unsigned_t v) { return put(v); }
  bool number_float(json::number_float_t v, const json::string_t&) { return put(v); }
  bool string(json::string_t& v) { return put(v); }
  bool binary(json::binary_t& v) { return put(json::binary(v)); }
  bool start_object(std::size_t) { return open(json::object()); }
  bool start_array(std::size_t) { return open(json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(json::string_t& name) {
    Frame& top = stack_.back();
    if (top.container->contains(name)) {
      throw ContractError(origin_, current_line(),
                          "duplicate key \"" + name + "\" in " + describe(top.pointer));
    }
    pending_key_ = name;
    out_.line_of_pointer[append_pointer(top.pointer, name)] = current_line();
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& error) {
    std::string message = error.what();
    // nlohmann prefixes "[json.exception.parse_error.101] parse error at line L, column C: ".
    if (auto colon = message.find(": "); colon != std::string::npos) message.erase(0, colon + 2);
    throw ContractError(origin_, current_line(), "invalid JSON: " + message);
  }

 private:
  struct Frame {
    json* container;
    std::string pointer;
  };

  int current_line() const { return line_ + 1; }

  static std::string describe(const std::string& pointer) {
    return pointer.empty() ? std::string("the top-level object") : pointer;
  }

  // Places a value where the parser stands and returns where it now lives.
  json* place(json value, std::string& pointer) {
    if (stack_.empty()) {
      out_.value = std::move(value);
      out_.line_of_pointer[""] = current_line();
      return &out_.value;
    }
    Frame& top = stack_.back();
    if (top.container->is_array()) {
      pointer = append_pointer(top.pointer, std::to_string(top.container->size()));
      out_.line_of_pointer[pointer] = current_line();
      top.container->push_back(std::move(value));
      return &top.container->back();
    }
    pointer = append_pointer(top.pointer, pending_key_);
    json& slot = (*top.container)[pending_key_];
    slot = std::move(value);
    return &slot;
  }

  bool put(json value) {
    std::string pointer;
    place(std::move(value), pointer);
    return true;
  }

  bool open(json empty_container) {
    std::string pointer;
    json* where = place(std::move(empty_container), pointer);
    stack_.push_back({where, pointer});
    return true;
  }

  bool close() {
    stack_.pop_back();
    return true;
  }

  LocatedJson& out_;
  const int& line_;
  const std::string& origin_;
  std::vector<Frame> stack_;
  std::string pending_key_;
};

}  // namespace

std::string append_pointer(const std::string& pointer, std::string_view key) {
  std::string escaped;
  for (char c : key) {
    if (c == '~') {
      escaped += "~0";
    } else if (c == '/') {
      escaped += "~1";
    } else {
      escaped += c;
    }
  }
  return pointer + "/" + escaped;
}

int LocatedJson::line_of(std::string pointer) const {
  while (true) {
    if (auto found = line_of_pointer.find(pointer); found != line_of_pointer.end()) {
      return found->second;
    }
    if (pointer.empty()) return 0;
    pointer.erase(pointer.rfind('/'));
  }
}

LocatedJson parse_located_json(std::string_view text, const std::string& origin) {
  LocatedJson located;
  int newlines_consumed = 0;
  LocatingSax sax(located, newlines_consumed, origin);
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  json::sax_parse(LineCountingIterator(begin, &newlines_consumed),
                  LineCountingIterator(end, &newlines_consumed), &sax);
  return located;
}

}  // namespace pmc::contract
