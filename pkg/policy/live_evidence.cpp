// serving.renewalFromLiveCertificate: the certificate the node's kubelet serves now vouches
// for a serving CSR when it names the node, is valid now and carries exactly the CSR's
// SANs (as multisets, canonicalised as the SAN rules compare them). The chain was verified
// against the kubelet-serving CA bundle by the LiveCertificateSource. Asked only for a
// Node that no inventory machine describes.
#include <algorithm>

#include "base/time_format.h"
#include "policy/rules.h"

namespace nca::policy::detail {
namespace {

std::vector<std::string> dns_multiset(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names) out.push_back(normalize_hostname(n));
  std::sort(out.begin(), out.end());
  return out;
}

// Canonical bytes, sorted; an address that does not canonicalise keeps its raw bytes (and
// so can only match the same malformed bytes, which the SAN rule refuses anyway).
std::vector<std::vector<std::uint8_t>> ip_multiset(const std::vector<x509::IpAddress>& ips) {
  std::vector<std::vector<std::uint8_t>> out;
  for (const auto& ip : ips) {
    auto c = x509::canonical_ip(ip.bytes);
    out.push_back(c ? c->bytes : ip.bytes);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string san_list(const std::vector<std::string>& dns, const std::vector<x509::IpAddress>& ips) {
  std::vector<std::string> all = dns;
  for (const auto& ip : ips) all.push_back(ip.text);
  return all.empty() ? "none" : join(all);
}

LiveEvidence judge(const Context& c, const LiveCertificate& cert) {
  using S = LiveEvidence::State;
  const std::string where = "the kubelet at " + cert.endpoint;
  if (cert.status == LiveCertificate::Status::kPending) {
    return {S::kPending, "asking " + (cert.endpoint.empty() ? "the kubelet" : where) +
                             " for its serving certificate"};
  }
  if (cert.status != LiveCertificate::Status::kPresented) {
    return {S::kNoMatch, (cert.endpoint.empty() ? "the kubelet" : where) +
                             " shows no verified certificate: " + cert.error};
  }
  const std::string cn = std::string(kNodeUserPrefix) + c.node_name;
  if (cert.common_names.size() != 1 || cert.common_names[0] != cn) {
    return {S::kNoMatch, where + " serves a certificate for CN \"" + join(cert.common_names) +
                             "\", not \"" + cn + "\""};
  }
  if (!cert.not_before || !cert.not_after || c.in.now < *cert.not_before ||
      c.in.now >= *cert.not_after) {
    return {S::kNoMatch,
            where + " serves a certificate that is not valid now" +
                (cert.not_after ? " (not after " + format_rfc3339(*cert.not_after) + ")"
                                : std::string())};
  }
  const auto& sans = c.parsed->sans;
  if (dns_multiset(cert.dns_names) != dns_multiset(sans.dns) ||
      ip_multiset(cert.ips) != ip_multiset(sans.ips)) {
    return {S::kNoMatch, where + " serves SANs " + san_list(cert.dns_names, cert.ips) +
                             "; the CSR asks for " + san_list(sans.dns, sans.ips) +
                             ": a renewal must ask for exactly the same"};
  }
  return {S::kMatches, where + " serves a verified certificate for " + cn + " with these SANs, " +
                           "valid until " + format_rfc3339(*cert.not_after)};
}

}  // namespace

const LiveEvidence& live_evidence(const Context& c) {
  if (c.live) return *c.live;
  const auto& cfg = c.config.serving.renewal_from_live_certificate;
  // Where an inventory machine describes the node, the inventory is the authority: a
  // certificate issued before an address moved must not carry the old one forward.
  if (!cfg.enabled || c.parsed == nullptr || c.identity.node == nullptr ||
      !c.identity.machines.empty()) {
    c.live = LiveEvidence{LiveEvidence::State::kOff, ""};
  } else if (c.in.live_certificates == nullptr) {
    c.live = LiveEvidence{LiveEvidence::State::kNoMatch,
                          "serving.renewalFromLiveCertificate is on but no prober is available"};
  } else {
    c.live = judge(c, c.in.live_certificates->fetch(*c.identity.node, c.in.csr.metadata.name));
  }
  return *c.live;
}

}  // namespace nca::policy::detail
