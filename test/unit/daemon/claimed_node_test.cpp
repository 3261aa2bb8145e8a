#include <catch2/catch.hpp>

#include "daemon/csr_cache.h"
#include "kube/decode.h"
#include "support/csr_builder.h"
#include "support/csr_object.h"

using nca::daemon::claimed_node;
using nca::test::CsrBuilder;

namespace {

nca::kube::CertificateSigningRequest decode(const nca::test::CsrObjectOptions& opts,
                                            const std::string& pem) {
  auto csr = nca::kube::decode_csr(nca::test::make_csr_object(opts, pem));
  REQUIRE(csr);
  return *csr;
}

}  // namespace

TEST_CASE("claimed_node: a node requester claims its own name") {
  const std::string pem = CsrBuilder::kubelet_serving("worker-0").ip("192.0.2.10").pem();
  CHECK(claimed_node(decode(nca::test::serving_csr_options("worker-0"), pem)) == "worker-0");
  // The requester wins over what the request says: a node cannot claim another by CN.
  const std::string other = CsrBuilder::kubelet_serving("worker-1").pem();
  CHECK(claimed_node(decode(nca::test::serving_csr_options("worker-0"), other)) == "worker-0");
  CHECK(claimed_node(decode(nca::test::client_renewal_options("worker-2"),
                            CsrBuilder::kubelet_client("worker-2").pem())) == "worker-2");
}

TEST_CASE("claimed_node: a bootstrap CSR claims the node named by its CN") {
  const std::string pem = CsrBuilder::kubelet_client("worker-5").pem();
  CHECK(claimed_node(decode(nca::test::bootstrap_options(), pem)) == "worker-5");
}

TEST_CASE("claimed_node: nothing for non-node CNs, other signers and garbage") {
  auto opts = nca::test::bootstrap_options();
  CHECK(claimed_node(decode(opts, CsrBuilder::kubelet_client("x")
                                      .clear_subject()
                                      .common_name("alice")
                                      .organization("system:nodes")
                                      .pem())) == "");
  CHECK(claimed_node(decode(opts, CsrBuilder().common_name("system:node:").pem())) == "");
  CHECK(claimed_node(decode(opts,
                            "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"
                            "-----END CERTIFICATE REQUEST-----\n")) == "");
  // Two CNs: ambiguous, so no claim.
  CHECK(claimed_node(decode(
            opts, CsrBuilder().common_name("system:node:a").common_name("system:node:b").pem())) ==
        "");
  auto other_signer = opts;
  other_signer.signer_name = "example.com/custom";
  CHECK(claimed_node(decode(other_signer, CsrBuilder::kubelet_client("worker-5").pem())) == "");
}
