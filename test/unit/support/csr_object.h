// A certificates.k8s.io/v1 CertificateSigningRequest as JSON, as `kubectl get csr -o json`
// prints it, built around a PEM from CsrBuilder: for policy, explain and reconciler tests.
//
//   auto obj = make_csr_object(serving_csr_options("worker-0"), pem);
//
// Plain functions over values; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nca::test {

inline constexpr std::string_view kServingSigner = "kubernetes.io/kubelet-serving";
inline constexpr std::string_view kClientSigner = "kubernetes.io/kube-apiserver-client-kubelet";
inline constexpr std::string_view kBootstrapperUser =
    "system:serviceaccount:openshift-machine-config-operator:node-bootstrapper";

struct CsrObjectOptions {
  std::string name = "csr-test";
  std::string uid = "00000000-0000-0000-0000-000000000001";
  std::string resource_version = "1";
  std::string creation_timestamp = "2026-11-23T12:00:00Z";
  std::string signer_name = std::string(kServingSigner);
  std::string username;
  std::vector<std::string> groups;
  std::vector<std::string> usages;
  std::optional<std::int64_t> expiration_seconds;
  // status.conditions, each with status "True": "Approved", "Denied", "Failed".
  std::vector<std::string> conditions;
  bool issued = false;  // status.certificate non-empty
};

// What a kubelet's serving / renewal CSR says about its requester. `rsa` adds
// "key encipherment" to the usages, as the kubelet does for RSA keys.
CsrObjectOptions serving_csr_options(std::string_view node_name, bool rsa = false);
CsrObjectOptions client_renewal_options(std::string_view node_name, bool rsa = false);
// A first client CSR sent by the bootstrapper service account for a node.
CsrObjectOptions bootstrap_options(bool rsa = false);

// The CSR object; `request_pem` goes base64-encoded into spec.request.
nlohmann::json make_csr_object(const CsrObjectOptions& options, std::string_view request_pem);

// Standard base64 with padding, no line breaks.
std::string base64_encode(std::string_view bytes);

}  // namespace nca::test
