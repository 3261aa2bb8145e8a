#include "daemon/metrics_endpoint.h"

#include "base/log.h"
#include "metrics/self_signed_cert.h"
#include "metrics/tls_server_context.h"

namespace nca::daemon {

Result<std::unique_ptr<metrics::HttpServer>> make_metrics_server(
    const MetricsEndpointSettings& settings, std::shared_ptr<metrics::Metrics> m,
    std::shared_ptr<metrics::AccessReviewer> reviewer, std::shared_ptr<Clock> clock) {
  metrics::HttpHandler render = [m](const metrics::HttpRequest&) {
    return metrics::HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8", m->render(), {}};
  };
  if (!settings.secure) {
    auto server = std::make_unique<metrics::HttpServer>();
    server->handle("/metrics", std::move(render));
    log::warn("serving /metrics over plain HTTP without authentication (--metrics-secure=false)");
    return server;
  }
  if (!reviewer) return Status(Code::kInternal, "secure metrics need an access reviewer");

  metrics::HttpServerOptions options;
  if (!settings.cert_dir.empty()) {
    auto tls = metrics::TlsServerContext::from_dir(settings.cert_dir);
    if (!tls.is_ok()) return tls.status().annotate("--metrics-cert-dir");
    options.tls = *tls;
  } else {
    const std::string svc = "node-csr-approver-metrics." + settings.namespace_ + ".svc";
    auto pair =
        metrics::generate_self_signed({svc, svc + ".cluster.local", "localhost"}, {"127.0.0.1"});
    if (!pair.is_ok()) return pair.status();
    auto tls = metrics::TlsServerContext::from_pem(pair->cert_pem, pair->key_pem);
    if (!tls.is_ok()) return tls.status().annotate("self-signed certificate");
    options.tls = *tls;
    log::info("serving /metrics over HTTPS with a self-signed certificate", {{"dns", svc}});
  }
  auto server = std::make_unique<metrics::HttpServer>(options);
  auto auth = std::make_shared<metrics::MetricsAuthorizer>(std::move(reviewer), std::move(clock));
  server->handle("/metrics", metrics::require_authorized(std::move(auth), std::move(render)));
  return server;
}

}  // namespace nca::daemon
