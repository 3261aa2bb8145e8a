// HttpServer: the small HTTP/1.1 server behind /metrics, /healthz and /readyz.
//
// Each connection is served on its own thread (at most `max_connections` at once; more are
// closed on accept), so a slow or stuck client never delays another: a probe is answered
// while a scraper trickles its request. A connection must deliver its whole request head
// (and, with TLS, finish the handshake) within `request_deadline`, counted from accept, not
// per read; past it the connection is closed without an answer. Answers must be written
// within `write_deadline`. GET and HEAD only, one request per connection
// (Connection: close), request head capped at 8 KiB. Optional TLS (TlsServerContext).
//
// Why not cpprestsdk's http_listener (which the issue asked for): in the Debian 2.10.18
// build, http_listener_config::set_timeout bounds nothing on the server side: a connection
// that never sends stays open indefinitely and one that trickles a byte every 500 ms is
// served 37 s later with a 2 s timeout configured (docs/operations.md, "HTTP endpoints";
// test/unit/metrics/cpprest_listener_evidence.cpp shows it), and the listener gives no
// access to its sockets, so no deadline can be added around it.
//
// Thread safety: handle() before start(); start()/stop() from one thread; handlers run on
// connection threads, concurrently with each other, and must be thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "base/status.h"

namespace nca::metrics {

class TlsServerContext;

struct HttpRequest {
  std::string method;
  std::string path;                            // without the query
  std::string query;                           // after '?', "" when none
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string header(std::string_view lower_name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::map<std::string, std::string> headers;  // extra headers, e.g. WWW-Authenticate
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
  std::chrono::milliseconds request_deadline{5000};  // accept → request head received
  std::chrono::milliseconds write_deadline{10000};   // answer written
  std::size_t max_connections = 64;
  std::shared_ptr<const TlsServerContext> tls;  // null: plain HTTP
};

class HttpServer {
 public:
  explicit HttpServer(HttpServerOptions options = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Paths must be registered before start().
  void handle(std::string path, HttpHandler handler);

  // `address` is "HOST:PORT" or ":PORT" (all interfaces); port 0 picks a free one.
  Status start(const std::string& address);
  int port() const { return port_; }
  // Closes the listener and every open connection and joins their threads; a handler
  // that is running is waited for.
  void stop();

  // Connections being served now (for tests and the connection cap).
  std::size_t open_connections() const;

 private:
  struct Connection;
  void accept_loop();
  void serve(Connection& c);
  void reap_finished();

  const HttpServerOptions options_;
  std::map<std::string, HttpHandler> handlers_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::list<std::unique_ptr<Connection>> connections_;  // guarded by mu_
};

}  // namespace nca::metrics
