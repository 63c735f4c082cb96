// Prisma's URL parameters: checked as Prisma's engine checks them, then either used (schema,
// socket_timeout), dropped (pool and engine settings), or refused where libpq cannot honour them.
#include "prisma_parameters.hpp"

#include <array>
#include <cctype>
#include <climits>
#include <string_view>
#include <vector>

#include "pmc/db.hpp"
#include "pmc/error.hpp"

namespace pmc::db {
namespace {

enum class Kind {
  Schema,         // the search_path
  SocketTimeout,  // seconds; the statement timeout
  WholeNumber,    // a pool or engine setting: checked, then dropped
  Boolean,        // likewise
  SslAccept,      // whether the server's certificate is checked
  Pkcs12Identity  // a client identity libpq cannot read
};

struct PrismaParameter {
  std::string_view name;
  Kind kind;
};

// Prisma's own names (prisma-engines, quaint's PostgreSQL URL). The names it shares with libpq
// (host, sslmode, sslcert, sslrootcert, sslpassword, connect_timeout, application_name,
// channel_binding, options) are libpq's to read and stay in the URL.
constexpr std::array<PrismaParameter, 10> kPrismaParameters = {{
    {"schema", Kind::Schema},
    {"socket_timeout", Kind::SocketTimeout},
    {"connection_limit", Kind::WholeNumber},
    {"pool_timeout", Kind::WholeNumber},
    {"statement_cache_size", Kind::WholeNumber},
    {"max_connection_lifetime", Kind::WholeNumber},
    {"max_idle_connection_lifetime", Kind::WholeNumber},
    {"pgbouncer", Kind::Boolean},
    {"sslaccept", Kind::SslAccept},
    {"sslidentity", Kind::Pkcs12Identity},
}};

constexpr std::size_t kMaxIdentifierBytes = 63;                    // NAMEDATALEN - 1
constexpr unsigned long long kMaxTimeoutSeconds = INT_MAX / 1000;  // statement_timeout is an int

const PrismaParameter* prisma_parameter(std::string_view name) {
  for (const PrismaParameter& parameter : kPrismaParameters) {
    if (parameter.name == name) return &parameter;
  }
  return nullptr;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A query component as Prisma decodes it (application/x-www-form-urlencoded: '+' is a space),
// except that a broken %-escape or a NUL byte is an error (nullopt) instead of passing as is.
std::optional<std::string> form_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] != '%') {
      out.push_back(text[i]);
    } else {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0 || (high == 0 && low == 0)) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    }
  }
  return out;
}

bool is_whole_number(const std::string& value) {
  if (value.empty() || value.size() > 19) return false;
  for (const char c : value) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

class UrlRefusal {
 public:
  explicit UrlRefusal(const std::string& url) : where_(mask_password(url)) {}
  [[noreturn]] void operator()(const std::string& problem, std::string hint = {}) const {
    throw Failure("PMC-C001", "invalid database URL \"" + where_ + "\": " + problem, {},
                  std::move(hint), ExitCode::UsageOrInput);
  }

 private:
  std::string where_;
};

struct QueryPart {
  std::string text;                  // as written, for libpq
  std::optional<std::string> key;    // decoded; nullopt when it does not decode
  std::optional<std::string> value;  // decoded; nullopt when it does not decode
};

std::vector<QueryPart> query_parts(std::string_view query) {
  std::vector<QueryPart> parts;
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    QueryPart part;
    part.text = std::string(query.substr(start, end - start));
    if (const std::size_t equals = part.text.find('='); equals != std::string::npos) {
      part.key = form_decoded(std::string_view(part.text).substr(0, equals));
      part.value = form_decoded(std::string_view(part.text).substr(equals + 1));
    }
    parts.push_back(std::move(part));
    start = end + 1;
  }
  return parts;
}

// Takes one Prisma parameter into `out`, or refuses it.
void take(const PrismaParameter& parameter, const std::optional<std::string>& value,
          const std::optional<std::string>& sslmode, const UrlRefusal& refuse, DatabaseUrl& out) {
  const std::string name(parameter.name);
  if (!value) refuse(name + " has a broken %-escape (or a %00)");
  switch (parameter.kind) {
    case Kind::Schema:
      if (value->empty()) {
        refuse("schema is empty", "Name the PostgreSQL schema, e.g. ?schema=public.");
      }
      if (*value == "$user") {
        // In a search_path, $user (quoted or not) stands for the schema named after the role.
        refuse(
            "schema=$user cannot name a schema: in a search_path, $user means the schema named "
            "after the login role");
      }
      if (value->size() > kMaxIdentifierBytes) {
        refuse("schema \"" + *value + "\" is longer than PostgreSQL's " +
               std::to_string(kMaxIdentifierBytes) + "-byte limit for names");
      }
      out.schema = *value;
      return;
    case Kind::SocketTimeout:
      if (!is_whole_number(*value) || std::stoull(*value) > kMaxTimeoutSeconds) {
        refuse("socket_timeout=" + *value + " is not a whole number of seconds up to " +
               std::to_string(kMaxTimeoutSeconds));
      }
      out.socket_timeout = std::chrono::seconds(std::stoll(*value));
      return;
    case Kind::WholeNumber:
      if (!is_whole_number(*value)) refuse(name + "=" + *value + " is not a whole number");
      return;
    case Kind::Boolean:
      if (*value != "true" && *value != "false") {
        refuse(name + "=" + *value + " is not true or false");
      }
      return;
    case Kind::SslAccept:
      // Prisma's default, and what libpq does below sslmode=verify-ca.
      if (*value == "accept_invalid_certs") return;
      if (*value != "strict") {
        refuse("sslaccept=" + *value + " is neither strict nor accept_invalid_certs");
      }
      if (sslmode != "verify-full") {
        refuse(
            "sslaccept=strict asks for a verified server certificate, but libpq verifies one "
            "only with sslmode=verify-full",
            "Add sslmode=verify-full (and sslrootcert=FILE for the certificate authority) to the "
            "URL; libpq then checks the certificate and the host name as Prisma's strict mode "
            "does.");
      }
      return;
    case Kind::Pkcs12Identity:
      refuse("sslidentity (a PKCS#12 client identity) cannot be read by libpq",
             "Give the client certificate and its key as PEM files with sslcert=FILE and "
             "sslkey=FILE instead.");
  }
}

}  // namespace

DatabaseUrl read_database_url(const std::string& url) {
  DatabaseUrl out;
  out.libpq_url = url;
  std::size_t scheme_end = 0;
  for (const std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (url.compare(0, scheme.size(), scheme) == 0) scheme_end = scheme.size();
  }
  const std::size_t question = scheme_end == 0 ? std::string::npos : url.find('?', scheme_end);
  if (question == std::string::npos) return out;

  const std::vector<QueryPart> parts = query_parts(std::string_view(url).substr(question + 1));
  std::optional<std::string> sslmode;
  for (const QueryPart& part : parts) {
    if (part.key == "sslmode") sslmode = part.value;
  }
  const UrlRefusal refuse(url);
  std::vector<std::string_view> taken;
  std::vector<std::string> kept;
  for (const QueryPart& part : parts) {
    const PrismaParameter* parameter = part.key ? prisma_parameter(*part.key) : nullptr;
    if (parameter == nullptr) {
      kept.push_back(part.text);
      continue;
    }
    for (const std::string_view name : taken) {
      if (name == parameter->name) refuse(std::string(name) + " is given twice");
    }
    taken.push_back(parameter->name);
    take(*parameter, part.value, sslmode, refuse, out);
  }
  out.libpq_url = url.substr(0, question);
  for (std::size_t i = 0; i < kept.size(); ++i) out.libpq_url += (i == 0 ? "?" : "&") + kept[i];
  return out;
}

std::string search_path_option(const std::string& schema) {
  std::string quoted = "\"";
  for (const char c : schema) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  quoted += '"';
  // The server splits `options` at whitespace that no backslash escapes (pg_split_opts).
  std::string escaped;
  for (const char c : quoted) {
    if (c == '\\' || std::isspace(static_cast<unsigned char>(c)) != 0) escaped += '\\';
    escaped += c;
  }
  return "-c search_path=" + escaped;
}

}  // namespace pmc::db
