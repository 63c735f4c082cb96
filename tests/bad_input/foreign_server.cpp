// The foreign listener: plain sockets and poll(2), one thread, one reply per connection.
#include "foreign_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace pmc::test {

ForeignServer ForeignServer::on_unix_socket(const std::filesystem::path& dir, std::string reply) {
  const int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string path = (dir / ".s.PGSQL.5432").string();
  if (listener < 0 || path.size() >= sizeof address.sun_path) {
    throw std::runtime_error("cannot make a unix socket at " + path);
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(listener, 16) != 0) {
    throw std::runtime_error("cannot listen on " + path + ": " + std::strerror(errno));
  }
  return ForeignServer(listener, "postgresql:///", "?host=" + dir.string(), std::move(reply));
}

ForeignServer ForeignServer::on_tcp(std::string reply) {
  const int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (listener < 0 || bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(listener, 16) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error(std::string("cannot listen on 127.0.0.1: ") + std::strerror(errno));
  }
  return ForeignServer(listener,
                       "postgresql://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/",
                       "", std::move(reply));
}

ForeignServer::ForeignServer(int listener, std::string url_prefix, std::string url_suffix,
                             std::string reply)
    : listener_(listener),
      url_prefix_(std::move(url_prefix)),
      url_suffix_(std::move(url_suffix)),
      reply_(std::move(reply)),
      thread_([this] { serve(); }) {}

ForeignServer::~ForeignServer() {
  stop_ = true;
  thread_.join();
  close(listener_);
}

std::string ForeignServer::url(const std::string& database) const {
  return url_prefix_ + database + url_suffix_;
}

void ForeignServer::serve() {
  while (!stop_) {
    pollfd ready{listener_, POLLIN, 0};
    if (poll(&ready, 1, 50) <= 0) continue;
    const int client = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    ++connections_;
    // Read what the client says first (its startup or SSL request), as a real server would.
    pollfd incoming{client, POLLIN, 0};
    char request[1024];
    if (poll(&incoming, 1, 2000) > 0) (void)!read(client, request, sizeof request);
    (void)!write(client, reply_.data(), reply_.size());
    shutdown(client, SHUT_RDWR);
    close(client);
  }
}

}  // namespace pmc::test
