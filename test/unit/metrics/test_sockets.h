// Loopback client helpers for the HttpServer tests: raw sockets (a client may send part of
// a request and stall), an OpenSSL client for TLS, and waits bounded by deadlines.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace nca::metrics::testing {

using Steady = std::chrono::steady_clock;

inline double seconds_since(Steady::time_point t0) {
  return std::chrono::duration<double>(Steady::now() - t0).count();
}

// A connected loopback socket; -1 on failure.
inline int connect_loopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

inline void send_text(int fd, const std::string& s) {
  (void)::send(fd, s.data(), s.size(), MSG_NOSIGNAL);
}

// Reads until the server closes or `limit` passes; the bytes read.
inline std::string read_until_closed(int fd, std::chrono::milliseconds limit, bool* closed) {
  const auto deadline = Steady::now() + limit;
  std::string out;
  char buf[4096];
  *closed = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now());
    if (left.count() <= 0) return out;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      *closed = true;
      return out;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
}

// One whole request; the response (empty when none came within 5 s).
inline std::string fetch(int port, const std::string& request) {
  int fd = connect_loopback(port);
  if (fd < 0) return "";
  send_text(fd, request);
  bool closed = false;
  std::string out = read_until_closed(fd, std::chrono::milliseconds(5000), &closed);
  ::close(fd);
  return out;
}

}  // namespace nca::metrics::testing
