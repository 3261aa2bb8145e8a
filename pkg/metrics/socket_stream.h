// SocketStream: reads and writes on one accepted, non-blocking socket, plain or TLS, every
// call bounded by an absolute deadline (poll on the socket between partial reads/writes,
// so a peer that trickles bytes cannot stretch a call past it). Used by HttpServer only.
// The socket is owned by the caller, who closes it after the stream is gone; shutting the
// socket down from another thread ends a blocked call (that is how HttpServer::stop wakes
// its connections). One thread per stream.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>

#include "base/status.h"

namespace nca::metrics {

class TlsServerContext;

class SocketStream {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  static std::unique_ptr<SocketStream> plain(int fd);
  // Runs the server handshake; fails when it does not complete by `deadline`.
  static Result<std::unique_ptr<SocketStream>> tls(int fd, const TlsServerContext& ctx,
                                                   Deadline deadline);
  virtual ~SocketStream() = default;

  // Bytes read (> 0), 0 when the peer closed, -1 on an error or when `deadline` passed.
  virtual long read(char* buf, std::size_t len, Deadline deadline) = 0;
  // False on an error or when `deadline` passed before everything was written.
  virtual bool write_all(std::string_view data, Deadline deadline) = 0;
};

// Waits until `fd` is readable (or writable) or `deadline` passes; false on the latter.
bool wait_socket(int fd, bool for_write, SocketStream::Deadline deadline);

}  // namespace nca::metrics
