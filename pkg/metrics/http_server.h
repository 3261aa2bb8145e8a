// HttpServer: a deliberately small HTTP/1.1 server for /metrics, /healthz and /readyz.
// GET and HEAD only, one request per connection (Connection: close), request head capped
// at 8 KiB and 5 s, handled on one background thread: enough for probes and scrapes, with
// nothing to configure. Start/stop are not thread-safe with each other; handlers run on the
// server thread and must be thread-safe with the rest of the program.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <thread>

#include "base/status.h"

namespace nca::metrics {

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

using HttpHandler = std::function<HttpResponse()>;

class HttpServer {
 public:
  HttpServer() = default;
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Paths must be registered before start().
  void handle(std::string path, HttpHandler handler);

  // `address` is "HOST:PORT" or ":PORT" (all interfaces); port 0 picks a free one.
  Status start(const std::string& address);
  int port() const { return port_; }
  void stop();

 private:
  void serve();
  void answer(int fd);

  std::map<std::string, HttpHandler> handlers_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace nca::metrics
