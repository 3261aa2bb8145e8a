#include "metrics/metrics.h"

#include <catch2/catch.hpp>

namespace {
bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}
}  // namespace

TEST_CASE("metrics render with the documented names, labels and values") {
  nca::metrics::Metrics m("1.2.3");
  m.decision("kubernetes.io/kubelet-serving", "serving", "approve", "NodeCSRApproverApproved");
  m.decision("kubernetes.io/kubelet-serving", "serving", "approve", "NodeCSRApproverApproved");
  m.set_pending("kubernetes.io/kube-apiserver-client-kubelet", 3);
  m.api_request("PUT", 409);
  m.set_leader(true);
  m.set_pending_guard(7, 5);
  m.config_reload("failure");
  m.event("rate_limited");
  m.watch_restart("certificatesigningrequests");
  m.observe_approval_latency(0.2);
  const std::string text = m.render();
  INFO(text);
  CHECK(has_line(text, R"(node_csr_approver_build_info{version="1.2.3"} 1)"));
  CHECK(has_line(
      text,
      R"(node_csr_approver_decisions_total{kind="serving",outcome="approve",reason="NodeCSRApproverApproved",signer="kubernetes.io/kubelet-serving"} 2)"));
  CHECK(has_line(
      text,
      R"(node_csr_approver_pending_csrs{signer="kubernetes.io/kube-apiserver-client-kubelet"} 3)"));
  CHECK(has_line(text,
                 R"(node_csr_approver_pending_csrs{signer="kubernetes.io/kubelet-serving"} 0)"));
  CHECK(has_line(text, R"(node_csr_approver_api_requests_total{code="409",verb="PUT"} 1)"));
  CHECK(has_line(text, "node_csr_approver_is_leader 1"));
  CHECK(has_line(text, "node_csr_approver_pending_guard_active 1"));
  CHECK(has_line(text, "node_csr_approver_pending_bootstrap_csrs 7"));
  CHECK(has_line(text, "node_csr_approver_pending_bootstrap_limit 5"));
  CHECK(has_line(text, R"(node_csr_approver_config_reloads_total{result="failure"} 1)"));
  CHECK(has_line(text, R"(node_csr_approver_config_reloads_total{result="success"} 0)"));
  CHECK(has_line(text, R"(node_csr_approver_events_total{result="rate_limited"} 1)"));
  CHECK(has_line(text, R"(node_csr_approver_events_total{result="queue_full"} 0)"));
  CHECK(has_line(
      text, R"(node_csr_approver_watch_restarts_total{resource="certificatesigningrequests"} 1)"));
  CHECK(has_line(text, R"(node_csr_approver_watch_restarts_total{resource="nodes"} 0)"));
  CHECK(has_line(text, "node_csr_approver_approval_latency_seconds_count 1"));
  CHECK(has_line(text, R"(node_csr_approver_approval_latency_seconds_bucket{le="0.25"} 1)"));
  CHECK(has_line(text, R"(node_csr_approver_approval_latency_seconds_bucket{le="0.1"} 0)"));
}

TEST_CASE("the pending guard is active exactly while the count exceeds the limit") {
  nca::metrics::Metrics m("t");
  m.set_pending_guard(5, 5);
  CHECK(has_line(m.render(), "node_csr_approver_pending_guard_active 0"));
  m.set_pending_guard(6, 5);
  CHECK(has_line(m.render(), "node_csr_approver_pending_guard_active 1"));
  m.set_pending_guard(0, 5);
  CHECK(has_line(m.render(), "node_csr_approver_pending_guard_active 0"));
}

TEST_CASE("DNS lookup metrics: every result present at zero, then counted") {
  nca::metrics::Metrics m("1.2.3");
  {
    const std::string text = m.render();
    INFO(text);
    CHECK(
        has_line(text, R"(node_csr_approver_dns_lookups_total{result="transient",type="PTR"} 0)"));
    CHECK(has_line(text, "node_csr_approver_dns_cache_hits_total 0"));
    CHECK(has_line(text, "node_csr_approver_dns_lookup_duration_seconds_count 0"));
  }
  m.dns_lookup("A/AAAA", "found", 0.003);
  m.dns_lookup("A/AAAA", "transient", 2.5);
  m.dns_cache_hit();
  const std::string text = m.render();
  INFO(text);
  CHECK(has_line(text, R"(node_csr_approver_dns_lookups_total{result="found",type="A/AAAA"} 1)"));
  CHECK(
      has_line(text, R"(node_csr_approver_dns_lookups_total{result="transient",type="A/AAAA"} 1)"));
  CHECK(has_line(text, "node_csr_approver_dns_cache_hits_total 1"));
  CHECK(has_line(text, "node_csr_approver_dns_lookup_duration_seconds_count 2"));
  CHECK(has_line(text, R"(node_csr_approver_dns_lookup_duration_seconds_bucket{le="0.005"} 1)"));
}
