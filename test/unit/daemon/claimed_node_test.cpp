#include <catch2/catch.hpp>

#include "daemon/csr_cache.h"
#include "kube/decode.h"
#include "support/csr_builder.h"
#include "support/csr_object.h"

using nca::test::CsrBuilder;
using Nodes = std::vector<std::string>;

namespace {

Nodes claimed_nodes(const nca::kube::CertificateSigningRequest& csr) {
  nca::approver::ParseMemo memo;
  return nca::daemon::claimed_nodes(csr, memo);
}

nca::kube::CertificateSigningRequest decode(const nca::test::CsrObjectOptions& opts,
                                            const std::string& pem) {
  auto csr = nca::kube::decode_csr(nca::test::make_csr_object(opts, pem));
  REQUIRE(csr);
  return *csr;
}

}  // namespace

TEST_CASE("claimed_nodes: a node requester claims its own name") {
  const std::string pem = CsrBuilder::kubelet_serving("worker-0").ip("192.0.2.10").pem();
  CHECK(claimed_nodes(decode(nca::test::serving_csr_options("worker-0"), pem)) ==
        Nodes{"worker-0"});
  // A serving CSR is found by its requester only (serving requests are not parsed here).
  const std::string other = CsrBuilder::kubelet_serving("worker-1").pem();
  CHECK(claimed_nodes(decode(nca::test::serving_csr_options("worker-0"), other)) ==
        Nodes{"worker-0"});
  CHECK(claimed_nodes(decode(nca::test::client_renewal_options("worker-2"),
                             CsrBuilder::kubelet_client("worker-2").pem())) == Nodes{"worker-2"});
  // A client CSR of one node naming another in its CN is found under both, so the
  // one-client-certificate rule of the node it names sees it.
  CHECK(claimed_nodes(decode(nca::test::client_renewal_options("worker-2"),
                             CsrBuilder::kubelet_client("worker-3").pem())) ==
        (Nodes{"worker-2", "worker-3"}));
}

TEST_CASE("claimed_nodes: a bootstrap CSR claims the node named by its CN") {
  const std::string pem = CsrBuilder::kubelet_client("worker-5").pem();
  CHECK(claimed_nodes(decode(nca::test::bootstrap_options(), pem)) == Nodes{"worker-5"});
}

TEST_CASE("claimed_nodes: nothing for non-node CNs, other signers and garbage") {
  auto opts = nca::test::bootstrap_options();
  CHECK(claimed_nodes(decode(opts, CsrBuilder::kubelet_client("x")
                                       .clear_subject()
                                       .common_name("alice")
                                       .organization("system:nodes")
                                       .pem()))
            .empty());
  CHECK(claimed_nodes(decode(opts, CsrBuilder().common_name("system:node:").pem())).empty());
  CHECK(claimed_nodes(decode(opts,
                             "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"
                             "-----END CERTIFICATE REQUEST-----\n"))
            .empty());
  // Two CNs: ambiguous, so no claim.
  CHECK(claimed_nodes(
            decode(opts,
                   CsrBuilder().common_name("system:node:a").common_name("system:node:b").pem()))
            .empty());
  auto other_signer = opts;
  other_signer.signer_name = "example.com/custom";
  CHECK(claimed_nodes(decode(other_signer, CsrBuilder::kubelet_client("worker-5").pem())).empty());
}
