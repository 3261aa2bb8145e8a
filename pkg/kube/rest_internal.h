// Private to pkg/kube: the state RestClient's two source files share. cpprestsdk types
// are only forward-declared here; the definitions stay in the .cpp files.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "base/clock.h"
#include "kube/client.h"
#include "kube/rate_limiter.h"
#include "kube/token_source.h"

namespace web::http {
class http_request;
namespace client {
class http_client;
class http_client_config;
}  // namespace client
}  // namespace web::http

namespace nca::kube {

struct RestClient::Impl {
  Impl(ClientConfig c, std::shared_ptr<Clock> clk);
  ~Impl();

  ClientConfig config;
  std::shared_ptr<Clock> clock;
  TokenBucket bucket;
  TokenSource tokens;
  std::unique_ptr<web::http::client::http_client> http;  // shared by ordinary requests
  std::weak_ptr<void> transport;  // expires when `http`'s connections and requests are gone
};

// TLS (CA, client certificate, verification) and the inactivity timeout for a connection.
// `sentinel` is kept by the transport's copy of the config: it expires with the transport.
void configure_http(const ClientConfig& config, std::chrono::seconds timeout,
                    std::shared_ptr<void> sentinel, web::http::client::http_client_config& out);

// pplx_quiesce.cpp: cpprestsdk finishes a failed or ended request on its pool threads after
// the caller has its answer. install_counting_scheduler() (once, before the first request)
// counts those chores; wait_transport_quiet() blocks until `sentinel` expired and no chore
// is pending, at most `limit`, so a client's destruction leaves no work behind (a process
// exiting with queued chores leaks them). False when the limit was reached.
void install_counting_scheduler();
std::shared_ptr<void> make_transport_sentinel();
bool wait_transport_quiet(const std::weak_ptr<void>& sentinel, std::chrono::milliseconds limit);
// Chores scheduled and not yet finished (for tests).
long pending_transport_chores();

// User-Agent, Accept and Authorization. Unauthorized when the token file cannot be read.
Status add_common_headers(RestClient::Impl& impl, web::http::http_request& request);

// A Status for an exception thrown by the HTTP library while talking to `server`.
Status transport_error(const std::exception& e, const std::string& server);

// Invalid when the CA, client certificate or key in `config` do not load.
Status validate_tls_material(const ClientConfig& config);

// "client certificate expired at …" / "… is not valid before …", or "" when it is current.
std::string client_cert_problem(const std::string& cert_pem);

// The reason the most recent server certificate verification failed, then cleared.
std::string take_tls_verify_error();

// Adds a hint to 401 answers: which credential was rejected and why it might be.
Status explain_unauthorized(const RestClient::Impl& impl, Status s);

}  // namespace nca::kube
