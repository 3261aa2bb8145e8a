// Node/Lease/Event/unstructured decoding (including a 5 MB Node), Resource paths, and the
// encoders for what the approver writes.
#include <catch2/catch.hpp>

#include "base/time_format.h"
#include "kube/decode.h"
#include "kube/encode.h"
#include "kube/resource.h"

using nlohmann::json;
using namespace nca::kube;
using namespace std::chrono_literals;

namespace {

// A realistic big Node: 50 images with long digests, conditions, lots of labels, and
// padding in an annotation until the JSON passes `bytes`.
json huge_node(std::size_t bytes) {
  json node = {{"apiVersion", "v1"},
               {"kind", "Node"},
               {"metadata",
                {{"name", "worker-0"},
                 {"uid", "u"},
                 {"resourceVersion", "77"},
                 {"creationTimestamp", "2026-01-01T00:00:00Z"}}},
               {"spec", {{"providerID", "aws:///eu-west-1a/i-0abc"}}},
               {"status",
                {{"addresses",
                  {{{"type", "InternalIP"}, {"address", "10.0.0.5"}},
                   {{"type", "Hostname"}, {"address", "worker-0"}}}}}}};
  for (int i = 0; i < 50; ++i) {
    json names = json::array();
    for (int j = 0; j < 4; ++j) {
      names.push_back("registry.example/team/image-" + std::to_string(i) +
                      "@sha256:" + std::string(64, 'a' + (j % 6)));
    }
    node["status"]["images"].push_back({{"names", names}, {"sizeBytes", 123456789 + i}});
  }
  for (const char* c : {"Ready", "MemoryPressure", "DiskPressure", "PIDPressure"}) {
    node["status"]["conditions"].push_back(
        {{"type", c}, {"status", "False"}, {"lastHeartbeatTime", "2026-01-01T00:00:00Z"}});
  }
  for (int i = 0; i < 40; ++i) node["metadata"]["labels"]["label-" + std::to_string(i)] = "v";
  std::size_t size = node.dump().size();
  if (size < bytes) node["metadata"]["annotations"]["padding"] = std::string(bytes - size, 'p');
  return node;
}

}  // namespace

TEST_CASE("a 5 MB Node decodes to the few fields the approver keeps") {
  json node = huge_node(5u << 20);
  REQUIRE(node.dump().size() >= (5u << 20));
  auto n = decode_node(node);
  REQUIRE(n);
  CHECK(n->metadata.name == "worker-0");
  CHECK(n->provider_id == "aws:///eu-west-1a/i-0abc");
  REQUIRE(n->addresses.size() == 2);
  CHECK(n->addresses[0].type == "InternalIP");
  CHECK(n->addresses[0].address == "10.0.0.5");
  CHECK(n->metadata.labels.size() == 40);
}

TEST_CASE("a Node with a malformed address keeps the rest and names what it left out") {
  // Dropping the whole Node would let a relist forget it: "no such Node" checks would then
  // pass for its name. Fails on the old decoder, which returned an error.
  json node = huge_node(0);
  node["status"]["addresses"][1]["address"] = json::array();
  auto n = decode_node(node);
  REQUIRE(n);
  CHECK(n->metadata.name == "worker-0");
  REQUIRE(n->addresses.size() == 1);
  CHECK(n->addresses[0].address == "10.0.0.5");
  REQUIRE(n->decode_warnings.size() == 1);
  CHECK_THAT(n->decode_warnings[0], Catch::Contains("status.addresses[1].address"));
  node["status"]["addresses"] = "10.0.0.5";
  REQUIRE(decode_node(node));
  CHECK(decode_node(node)->addresses.empty());
  CHECK(decode_node(node)->decode_warnings.size() == 1);
  node["status"].erase("addresses");
  CHECK(decode_node(node)->addresses.empty());
  CHECK(decode_node(node)->decode_warnings.empty());
}

TEST_CASE("a Node with mistyped metadata, spec or status is kept by name") {
  json node = huge_node(0);
  node["metadata"]["labels"] = "not-a-map";
  node["metadata"]["creationTimestamp"] = 5;
  node["metadata"]["resourceVersion"] = 17;
  node["spec"] = json::array();
  node["status"] = "broken";
  auto n = decode_node(node);
  REQUIRE(n);
  CHECK(n->metadata.name == "worker-0");
  CHECK(n->metadata.labels.empty());
  CHECK_FALSE(n->metadata.creation_timestamp);
  CHECK(n->addresses.empty());
  CHECK(n->decode_warnings.size() == 5);
  node["metadata"]["name"] = 3;  // without a name there is nothing to key it by
  CHECK_FALSE(decode_node(node));
}

TEST_CASE("Lease encodes with microsecond times and decodes back") {
  Lease lease;
  lease.metadata.name = "node-csr-approver";
  lease.metadata.namespace_ = "nca";
  lease.holder_identity = "pod-a";
  lease.lease_duration_seconds = 15;
  lease.acquire_time = *nca::parse_rfc3339("2026-11-20T10:00:00.123456Z");
  lease.renew_time = *lease.acquire_time + 2s;
  lease.lease_transitions = 3;
  json j = encode_lease(lease);
  CHECK(j["spec"]["acquireTime"] == "2026-11-20T10:00:00.123456Z");
  CHECK(j["spec"]["renewTime"] == "2026-11-20T10:00:02.123456Z");
  CHECK_FALSE(j["metadata"].contains("resourceVersion"));
  auto back = decode_lease(j);
  REQUIRE(back);
  CHECK(back->holder_identity == "pod-a");
  CHECK(back->lease_duration_seconds == 15);
  CHECK(back->renew_time == lease.renew_time);
  CHECK(back->lease_transitions == 3);
  CHECK(object_key(back->metadata) == "nca/node-csr-approver");
  j["spec"]["leaseDurationSeconds"] = -1;
  CHECK_FALSE(decode_lease(j));
}

TEST_CASE("approval_patch appends a condition to the cached ones, conditional on the version") {
  json csr_json = {{"apiVersion", "certificates.k8s.io/v1"},
                   {"kind", "CertificateSigningRequest"},
                   {"metadata", {{"name", "csr-1"}, {"uid", "u-1"}, {"resourceVersion", "5"}}},
                   {"spec", {{"request", "eA=="}, {"signerName", "kubernetes.io/kubelet-serving"}}},
                   {"status",
                    {{"conditions",
                      {{{"type", "Other"},
                        {"status", "False"},
                        {"reason", "R"},
                        {"message", "kept"},
                        {"lastUpdateTime", "2026-11-19T09:00:00Z"},
                        {"lastTransitionTime", "2026-11-19T08:00:00Z"}}}}}}};
  auto csr = decode_csr(csr_json).value();
  auto now = *nca::parse_rfc3339("2026-11-20T10:00:00Z");
  auto patch = approval_patch(csr, "Approved", "NodeCSRApprove", "serving cert for worker-0", now);
  REQUIRE(patch);
  CHECK((*patch)["metadata"] == json{{"uid", "u-1"}, {"resourceVersion", "5"}});
  CHECK_FALSE(patch->contains("spec"));  // the approval subresource takes only conditions
  auto& conds = (*patch)["status"]["conditions"];
  REQUIRE(conds.size() == 2);
  CHECK(conds[0] == csr_json["status"]["conditions"][0]);  // exactly as the server had it
  CHECK(conds[1]["type"] == "Approved");
  CHECK(conds[1]["status"] == "True");
  CHECK(conds[1]["reason"] == "NodeCSRApprove");
  CHECK(conds[1]["lastUpdateTime"] == "2026-11-20T10:00:00Z");
  csr_json["status"] = (*patch)["status"];
  CHECK(decode_csr(csr_json)->is_approved());

  CHECK_FALSE(approval_patch(decode_csr(csr_json).value(), "Approved", "r", "m", now));
  CHECK_FALSE(approval_patch(csr, "Failed", "r", "m", now));
  auto unversioned = csr;
  unversioned.metadata.resource_version.clear();  // would be an unconditional write
  CHECK_FALSE(approval_patch(unversioned, "Denied", "r", "m", now));
  auto bare = csr;
  bare.conditions.clear();
  CHECK(approval_patch(bare, "Denied", "r", "m", now)->at("status").at("conditions").size() == 1);
}

TEST_CASE("Events about a cluster-scoped CSR go to the default namespace") {
  EventSpec spec;
  spec.involved_object = {
      "certificates.k8s.io/v1", "CertificateSigningRequest", "csr-1", "", "uid-1", ""};
  spec.type = "Warning";
  spec.reason = "NotApproved";
  spec.message = "SAN not in inventory";
  spec.reporting_instance = "pod-a";
  auto now = *nca::parse_rfc3339("2026-11-20T10:00:00Z");
  json ev = build_event(spec, now);
  CHECK(ev["metadata"]["namespace"] == "default");
  CHECK(ev["metadata"]["name"].get<std::string>().rfind("csr-1.", 0) == 0);
  auto back = decode_event(ev);
  REQUIRE(back);
  CHECK(back->involved_object.kind == "CertificateSigningRequest");
  CHECK(back->involved_object.uid == "uid-1");
  CHECK(back->reason == "NotApproved");
  CHECK(back->type == "Warning");
  CHECK(back->source_component == "node-csr-approver");
  CHECK(back->count == 1);
  CHECK(back->first_timestamp == now);
  CHECK(ev["reportingInstance"] == "pod-a");
}

TEST_CASE("unstructured objects keep the whole JSON") {
  json m = {{"apiVersion", "machine.openshift.io/v1beta1"},
            {"kind", "Machine"},
            {"metadata", {{"name", "m-1"}, {"namespace", "openshift-machine-api"}}},
            {"status", {{"addresses", {{{"type", "InternalIP"}, {"address", "10.0.0.9"}}}}}}};
  auto u = decode_unstructured(m);
  REQUIRE(u);
  CHECK(u->kind == "Machine");
  CHECK(u->api_version == "machine.openshift.io/v1beta1");
  CHECK(u->object == m);
  CHECK(object_key(u->metadata) == "openshift-machine-api/m-1");
  m["kind"] = 3;  // kept (the inventory decoders judge the type), with a warning
  REQUIRE(decode_unstructured(m));
  CHECK(decode_unstructured(m)->kind.empty());
  CHECK(decode_unstructured(m)->decode_warnings.size() == 1);
  m["metadata"]["name"] = json::array();
  CHECK_FALSE(decode_unstructured(m));
}

TEST_CASE("Resource paths") {
  CHECK(resources::csrs().collection_path() ==
        "/apis/certificates.k8s.io/v1/certificatesigningrequests");
  CHECK(resources::csrs().object_path("ignored", "csr-1", "approval") ==
        "/apis/certificates.k8s.io/v1/certificatesigningrequests/csr-1/approval");
  CHECK(resources::nodes().object_path("", "n1") == "/api/v1/nodes/n1");
  CHECK(resources::leases().collection_path("nca") ==
        "/apis/coordination.k8s.io/v1/namespaces/nca/leases");
  CHECK(resources::configmaps().collection_path() == "/api/v1/configmaps");
  CHECK(resources::events().qualified_name() == "events");
  CHECK(resources::csrs().qualified_name() == "certificatesigningrequests.certificates.k8s.io");
}
