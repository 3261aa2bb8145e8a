// The /metrics endpoint as the flags ask for it. Secure (the default, like
// controller-runtime's --metrics-secure): HTTPS with the certificate in `cert_dir`
// (tls.crt, tls.key) or, without one, a self-signed certificate made at start, and every
// scrape authenticated (TokenReview) and authorized (SubjectAccessReview: get /metrics)
// through `reviewer`. Not secure: plain HTTP, no authentication. Built once at start-up;
// the server it returns is not started.
#pragma once

#include <memory>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "metrics/http_server.h"
#include "metrics/metrics.h"
#include "metrics/metrics_auth.h"

namespace nca::daemon {

struct MetricsEndpointSettings {
  bool secure = true;
  std::string cert_dir;    // empty: self-signed
  std::string namespace_;  // for the self-signed certificate's Service names
};

Result<std::unique_ptr<metrics::HttpServer>> make_metrics_server(
    const MetricsEndpointSettings& settings, std::shared_ptr<metrics::Metrics> metrics,
    std::shared_ptr<metrics::AccessReviewer> reviewer, std::shared_ptr<Clock> clock);

}  // namespace nca::daemon
