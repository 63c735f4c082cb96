// A listener that is not PostgreSQL: it accepts connections on a unix socket named as
// PostgreSQL's (`<dir>/.s.PGSQL.5432`) or on a TCP port of 127.0.0.1, answers every client with
// one fixed reply (an HTTP error, an SSH banner) and closes. For the "URL to a server that is
// not PostgreSQL" inputs.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>

namespace pmc::test {

class ForeignServer {
 public:
  // On a unix socket in `dir`: the URL is postgresql:///db?host=<dir>.
  static ForeignServer on_unix_socket(const std::filesystem::path& dir, std::string reply);
  // On 127.0.0.1 and a port the kernel picks: the URL is postgresql://127.0.0.1:<port>/db.
  static ForeignServer on_tcp(std::string reply);
  ForeignServer(ForeignServer&&) = delete;
  ~ForeignServer();

  std::string url(const std::string& database) const;
  int connections() const { return connections_.load(); }

 private:
  ForeignServer(int listener, std::string url_prefix, std::string url_suffix, std::string reply);
  void serve();

  int listener_;
  std::string url_prefix_, url_suffix_, reply_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

}  // namespace pmc::test
