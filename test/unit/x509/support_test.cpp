// The shared test support itself: CSR objects carry what other teams' tests rely on.
#include <catch2/catch.hpp>

#include "support/csr_builder.h"
#include "support/csr_object.h"
#include "x509/csr_parser.h"

using nca::test::CsrBuilder;

TEST_CASE("make_csr_object: a serving CSR object as kubectl prints it") {
  const std::string pem = CsrBuilder::kubelet_serving("worker-0").pem();
  auto options = nca::test::serving_csr_options("worker-0");
  options.expiration_seconds = 3600;
  auto obj = nca::test::make_csr_object(options, pem);
  CHECK(obj["apiVersion"] == "certificates.k8s.io/v1");
  CHECK(obj["kind"] == "CertificateSigningRequest");
  CHECK(obj["metadata"]["name"] == "csr-serving-worker-0");
  CHECK(obj["metadata"]["creationTimestamp"] == "2026-11-23T12:00:00Z");
  CHECK(obj["spec"]["signerName"] == "kubernetes.io/kubelet-serving");
  CHECK(obj["spec"]["username"] == "system:node:worker-0");
  CHECK(obj["spec"]["groups"] == nlohmann::json({"system:nodes", "system:authenticated"}));
  CHECK(obj["spec"]["usages"] == nlohmann::json({"digital signature", "server auth"}));
  CHECK(obj["spec"]["expirationSeconds"] == 3600);
  CHECK(obj["spec"]["request"] == nca::test::base64_encode(pem));
  CHECK(obj["status"].is_object());
  CHECK_FALSE(obj["status"].contains("conditions"));
}

TEST_CASE("make_csr_object: client, bootstrap and decided variants") {
  auto client = nca::test::make_csr_object(nca::test::client_renewal_options("w", true), "x");
  CHECK(client["spec"]["signerName"] == "kubernetes.io/kube-apiserver-client-kubelet");
  CHECK(client["spec"]["usages"] ==
        nlohmann::json({"digital signature", "key encipherment", "client auth"}));
  CHECK_FALSE(client["spec"].contains("expirationSeconds"));

  auto boot_opts = nca::test::bootstrap_options();
  boot_opts.conditions = {"Approved"};
  boot_opts.issued = true;
  auto boot = nca::test::make_csr_object(boot_opts, "x");
  CHECK(boot["spec"]["username"] ==
        "system:serviceaccount:openshift-machine-config-operator:node-bootstrapper");
  CHECK(boot["status"]["conditions"][0]["type"] == "Approved");
  CHECK(boot["status"]["conditions"][0]["status"] == "True");
  CHECK_FALSE(boot["status"]["certificate"].get<std::string>().empty());
}

TEST_CASE("base64_encode matches RFC 4648") {
  CHECK(nca::test::base64_encode("") == "");
  CHECK(nca::test::base64_encode("f") == "Zg==");
  CHECK(nca::test::base64_encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("CsrBuilder: each build is freshly signed; RSA keys are reused per size") {
  CsrBuilder b = CsrBuilder().rsa(2048).common_name("a");
  // RSA PKCS#1 v1.5 signatures are deterministic: same key + same content = same bytes.
  CHECK(b.pem() == b.pem());
  // EC keys are fresh per build.
  CsrBuilder e = CsrBuilder().common_name("a");
  CHECK(e.pem() != e.pem());
  CHECK_THROWS(CsrBuilder().ip("not-an-ip"));
}
