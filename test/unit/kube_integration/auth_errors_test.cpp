// Issue 3, test 5: a wrong CA, an expired client certificate and a rejected token each
// give a clear error; a forbidden approval keeps the server's message.
#include <catch2/catch.hpp>

#include "kube/kubeconfig.h"
#include "test_cluster.h"

using namespace nca::kube;
using namespace nca::kube::testing;
using namespace std::chrono_literals;
using nca::Code;

namespace {

constexpr auto kDay = std::chrono::seconds(86400);

std::string pki(const std::string& file) {
  REQUIRE_FALSE(cluster_dir().empty());
  return read_text(cluster_dir() + "/pki/" + file);
}

}  // namespace

TEST_CASE("a wrong CA is a TLS verification error naming the server") {
  ClientConfig cfg = admin_config();
  cfg.ca_pem = make_cert("some-other-ca", "", -kDay, kDay).cert_pem;
  auto r = client_for(cfg)->get(resources::nodes(), "", "any");
  REQUIRE_FALSE(r);
  INFO(r.status().to_string());
  CHECK(r.status().code() == Code::kUnavailable);
  CHECK_THAT(r.status().message(), Catch::Contains("TLS handshake"));
  CHECK_THAT(r.status().message(), Catch::Contains("unable to get local issuer certificate"));
  CHECK_THAT(r.status().message(), Catch::Contains(cfg.server));
}

TEST_CASE("an expired client certificate is Unauthorized and says it expired") {
  ClientConfig cfg = admin_config();
  std::string ca_cert = pki("ca.crt"), ca_key = pki("ca.key");
  // Control: the same kind of certificate, still valid, works.
  auto valid = make_cert("nca-it-admin", "system:masters", -kDay, kDay, ca_cert, ca_key);
  cfg.client_cert_pem = valid.cert_pem;
  cfg.client_key_pem = valid.key_pem;
  auto ok = client_for(cfg)->get(resources::csrs(), "", "absent");
  CHECK(ok.status().code() == Code::kNotFound);

  auto expired = make_cert("nca-it-admin", "system:masters", -2 * kDay, -kDay, ca_cert, ca_key);
  cfg.client_cert_pem = expired.cert_pem;
  cfg.client_key_pem = expired.key_pem;
  auto r = client_for(cfg)->get(resources::csrs(), "", "absent");
  REQUIRE_FALSE(r);
  INFO(r.status().to_string());
  CHECK(r.status().code() == Code::kUnauthorized);
  CHECK_THAT(r.status().message(), Catch::Contains("client certificate expired at"));
}

TEST_CASE("a rejected bearer token is Unauthorized and says so") {
  ClientConfig cfg = admin_config();
  cfg.client_cert_pem.clear();
  cfg.client_key_pem.clear();
  cfg.token = "revoked-or-never-issued-token";
  auto r = client_for(cfg)->get(resources::nodes(), "", "any");
  REQUIRE_FALSE(r);
  INFO(r.status().to_string());
  CHECK(r.status().code() == Code::kUnauthorized);
  CHECK_THAT(r.status().message(), Catch::Contains("bearer token was rejected"));
}

TEST_CASE("a forbidden approval keeps the server's message verbatim") {
  auto bootstrap = load_kubeconfig(cluster_dir() + "/identities/bootstrapper.kubeconfig");
  INFO(bootstrap.status().to_string());
  REQUIRE(bootstrap);
  auto client = client_for(*bootstrap);
  nlohmann::json body{{"apiVersion", "certificates.k8s.io/v1"},
                      {"kind", "CertificateSigningRequest"},
                      {"metadata", {{"name", "whatever"}}}};
  auto r = client->update(resources::csrs(), "", "whatever", body, "approval");
  REQUIRE_FALSE(r);
  INFO(r.status().to_string());
  CHECK(r.status().code() == Code::kForbidden);
  CHECK_THAT(r.status().message(),
             Catch::Contains("cannot update resource \"certificatesigningrequests/approval\""));
}
