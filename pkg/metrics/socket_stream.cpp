#include "metrics/socket_stream.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "metrics/tls_server_context.h"

namespace nca::metrics {
namespace {

using std::chrono::steady_clock;

class PlainStream final : public SocketStream {
 public:
  explicit PlainStream(int fd) : fd_(fd) {}

  long read(char* buf, std::size_t len, Deadline deadline) override {
    for (;;) {
      ssize_t n = ::recv(fd_, buf, len, 0);
      if (n >= 0) return static_cast<long>(n);
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
      if (!wait_socket(fd_, false, deadline)) return -1;
    }
  }

  bool write_all(std::string_view data, Deadline deadline) override {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n > 0) {
        data.remove_prefix(static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!wait_socket(fd_, true, deadline)) return false;
        continue;
      }
      return false;
    }
    return true;
  }

 private:
  int fd_;
};

class TlsStream final : public SocketStream {
 public:
  TlsStream(int fd, SSL* ssl) : fd_(fd), ssl_(ssl) {}
  ~TlsStream() override {
    SSL_free(ssl_);
    ERR_clear_error();
  }

  // Runs `op` until it succeeds, waiting for the socket as OpenSSL asks; the result of
  // `op` when it did, <= 0 otherwise (0: a clean close by the peer).
  template <typename Op>
  int retry(Op op, Deadline deadline) {
    for (;;) {
      ERR_clear_error();
      int r = op();
      if (r > 0) return r;
      switch (SSL_get_error(ssl_, r)) {
        case SSL_ERROR_WANT_READ:
          if (!wait_socket(fd_, false, deadline)) return -1;
          break;
        case SSL_ERROR_WANT_WRITE:
          if (!wait_socket(fd_, true, deadline)) return -1;
          break;
        case SSL_ERROR_ZERO_RETURN:
          return 0;
        default:
          return -1;
      }
    }
  }

  bool handshake(Deadline deadline) {
    return retry([this] { return SSL_accept(ssl_); }, deadline) > 0;
  }

  long read(char* buf, std::size_t len, Deadline deadline) override {
    return retry([&] { return SSL_read(ssl_, buf, static_cast<int>(len)); }, deadline);
  }

  bool write_all(std::string_view data, Deadline deadline) override {
    while (!data.empty()) {
      int n = retry([&] { return SSL_write(ssl_, data.data(), static_cast<int>(data.size())); },
                    deadline);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    // A close_notify, best effort: the peer may already be gone.
    ERR_clear_error();
    (void)SSL_shutdown(ssl_);
    return true;
  }

 private:
  int fd_;
  SSL* ssl_;
};

}  // namespace

bool wait_socket(int fd, bool for_write, SocketStream::Deadline deadline) {
  for (;;) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, static_cast<short>(for_write ? POLLOUT : POLLIN), 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()) + 1);
    if (r > 0) return true;  // ready, or hung up: the next call says which
    if (r < 0 && errno != EINTR) return false;
  }
}

std::unique_ptr<SocketStream> SocketStream::plain(int fd) {
  return std::make_unique<PlainStream>(fd);
}

Result<std::unique_ptr<SocketStream>> SocketStream::tls(int fd, const TlsServerContext& ctx,
                                                        Deadline deadline) {
  SSL* ssl = SSL_new(static_cast<SSL_CTX*>(ctx.native()));
  if (ssl == nullptr || SSL_set_fd(ssl, fd) != 1) {
    SSL_free(ssl);
    ERR_clear_error();
    return Status(Code::kInternal, "SSL_new failed");
  }
  auto stream = std::make_unique<TlsStream>(fd, ssl);
  if (!stream->handshake(deadline)) return Status(Code::kUnavailable, "TLS handshake failed");
  return std::unique_ptr<SocketStream>(std::move(stream));
}

}  // namespace nca::metrics
