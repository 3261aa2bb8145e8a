#include "metrics/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/log.h"
#include "metrics/http_wire.h"
#include "metrics/socket_stream.h"

namespace nca::metrics {
namespace {

constexpr std::size_t kMaxHead = 8 * 1024;
using std::chrono::steady_clock;

HttpResponse plain_text(int status, std::string body) {
  return HttpResponse{status, "text/plain; charset=utf-8", std::move(body), {}};
}

}  // namespace

struct HttpServer::Connection {
  int fd = -1;  // guarded by HttpServer::mu_; -1 once closed
  steady_clock::time_point accepted;
  std::thread thread;
  std::atomic<bool> done{false};
};

HttpServer::HttpServer(HttpServerOptions options) : options_(std::move(options)) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::handle(std::string path, HttpHandler handler) {
  handlers_[std::move(path)] = std::move(handler);
}

Status HttpServer::start(const std::string& address) {
  if (listen_fd_ >= 0) return Status(Code::kInternal, "HttpServer already started");
  const auto colon = address.rfind(':');
  if (colon == std::string::npos)
    return invalid("bind address \"" + address + "\": want HOST:PORT");
  std::string host = address.substr(0, colon);
  const std::string port_text = address.substr(colon + 1);
  int port = -1;
  try {
    std::size_t used = 0;
    port = std::stoi(port_text, &used);
    if (used != port_text.size()) port = -1;
  } catch (...) {
    port = -1;
  }
  if (port < 0 || port > 65535) return invalid("bind address \"" + address + "\": bad port");
  if (host.empty()) host = "0.0.0.0";
  if (host == "localhost") host = "127.0.0.1";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    return invalid("bind address \"" + address + "\": host must be an IPv4 address");
  }
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status(Code::kUnavailable, std::string("socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0) {
    Status st(Code::kUnavailable, "listen on " + address + ": " + std::strerror(errno));
    ::close(fd);
    return st;
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  listen_fd_ = fd;
  stopping_ = false;
  acceptor_ = std::thread([this] { accept_loop(); });
  return Status::ok();
}

void HttpServer::stop() {
  if (listen_fd_ < 0) return;
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  if (acceptor_.joinable()) acceptor_.join();
  std::list<std::unique_ptr<Connection>> open;
  {
    std::lock_guard lock(mu_);
    // Wakes every connection blocked on its socket; each closes its own fd.
    for (auto& c : connections_) {
      if (c->fd >= 0) ::shutdown(c->fd, SHUT_RDWR);
    }
    open.swap(connections_);
  }
  for (auto& c : open) {
    if (c->thread.joinable()) c->thread.join();
  }
  ::close(listen_fd_);
  listen_fd_ = -1;
}

std::size_t HttpServer::open_connections() const {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& c : connections_) n += c->done ? 0 : 1;
  return n;
}

void HttpServer::reap_finished() {
  std::list<std::unique_ptr<Connection>> finished;
  {
    std::lock_guard lock(mu_);
    for (auto it = connections_.begin(); it != connections_.end();) {
      if ((*it)->done) {
        finished.push_back(std::move(*it));
        it = connections_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& c : finished) c->thread.join();
}

void HttpServer::accept_loop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    int ready = ::poll(&p, 1, 200);
    reap_finished();
    if (ready <= 0 || stopping_) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) continue;
    std::lock_guard lock(mu_);
    if (connections_.size() >= options_.max_connections) {
      ::close(fd);  // over the cap: the client sees a reset and retries
      continue;
    }
    auto c = std::make_unique<Connection>();
    c->fd = fd;
    c->accepted = steady_clock::now();
    Connection& ref = *c;
    connections_.push_back(std::move(c));
    ref.thread = std::thread([this, &ref] {
      // OpenSSL writes with write(2), not send(MSG_NOSIGNAL): a peer that is gone (or a
      // socket stop() shut down) would raise SIGPIPE and end the process. Blocked here,
      // the write fails with EPIPE instead; the signal stays pending on this thread only.
      sigset_t pipe;
      sigemptyset(&pipe);
      sigaddset(&pipe, SIGPIPE);
      pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
      serve(ref);
      {
        std::lock_guard inner(mu_);
        ::close(ref.fd);
        ref.fd = -1;
      }
      ref.done = true;
    });
  }
}

void HttpServer::serve(Connection& c) {
  const auto head_deadline = c.accepted + options_.request_deadline;
  std::unique_ptr<SocketStream> stream;
  if (options_.tls) {
    auto tls = SocketStream::tls(c.fd, *options_.tls, head_deadline);
    if (!tls.is_ok()) return;
    stream = std::move(tls).value();
  } else {
    stream = SocketStream::plain(c.fd);
  }

  std::string head;
  char buf[2048];
  std::size_t end = std::string::npos;
  while ((end = head.find("\r\n\r\n")) == std::string::npos && head.size() <= kMaxHead) {
    long n = stream->read(buf, sizeof buf, head_deadline);
    if (n <= 0) return;  // closed, failed or past the deadline: nothing to answer
    head.append(buf, static_cast<std::size_t>(n));
  }

  HttpResponse resp;
  bool head_only = false;
  auto req = end == std::string::npos ? std::nullopt : parse_request_head(head.substr(0, end + 4));
  if (!req) {
    resp = plain_text(400, "bad request\n");
  } else {
    head_only = req->method == "HEAD";
    auto it = handlers_.find(req->path);
    if (req->method != "GET" && req->method != "HEAD") {
      resp = plain_text(405, "method not allowed\n");
    } else if (it == handlers_.end()) {
      resp = plain_text(404, "not found\n");
    } else {
      try {
        resp = it->second(*req);
      } catch (const std::exception& e) {
        log::error("http handler failed", {{"path", req->path}, {"error", e.what()}});
        resp = plain_text(500, "handler failed\n");
      }
    }
  }
  (void)stream->write_all(format_response(resp, head_only),
                          steady_clock::now() + options_.write_deadline);
}

}  // namespace nca::metrics
