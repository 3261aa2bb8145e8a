#include "inventory/openshift_machine.h"

#include <catch2/catch.hpp>

#include "base/time_format.h"
#include "fixture.h"

using nca::inventory::decode_openshift_machine;
using nca::inventory::Source;
using nca::inventory::test::address_texts;
using nca::inventory::test::load_fixture;
using Strings = std::vector<std::string>;

TEST_CASE("OpenShift Machine linked to its Node: node name from status.nodeRef") {
  auto d = decode_openshift_machine(load_fixture("openshift_machine_running.json"));
  REQUIRE(d.machine);
  CHECK(d.skipped.empty());
  CHECK(d.warnings.empty());
  const auto& m = *d.machine;
  CHECK(m.source == Source::kOpenShiftMachine);
  CHECK(m.name == "ocp-x7k2p-worker-us-east-2a-6hzmt");
  CHECK(m.namespace_ == "openshift-machine-api");
  CHECK(m.node_name == "ip-10-0-152-205.us-east-2.compute.internal");
  CHECK(m.other_node_names.empty());
  CHECK(m.has_node_ref);
  CHECK(m.hostnames == Strings{"ip-10-0-152-205.us-east-2.compute.internal"});
  CHECK(address_texts(m) == Strings{"10.0.152.205"});
  REQUIRE(m.created);
  CHECK(nca::format_rfc3339(*m.created) == "2026-11-20T10:00:00Z");
}

TEST_CASE(
    "OpenShift Machine still bootstrapping: node names from InternalDNS, as the "
    "machine approver matches") {
  auto d = decode_openshift_machine(load_fixture("openshift_machine_provisioned.json"));
  REQUIRE(d.machine);
  const auto& m = *d.machine;
  CHECK_FALSE(m.has_node_ref);
  CHECK(m.node_name == "lab-4bq9d-worker-k2x8w");
  CHECK(m.other_node_names == Strings{"lab-4bq9d-worker-k2x8w.lab.example.com"});
  CHECK(m.hostnames == Strings{"lab-4bq9d-worker-k2x8w", "lab-4bq9d-worker-k2x8w.lab.example.com"});
  // Non-canonical IPv6 spelling is canonicalised.
  CHECK(address_texts(m) == Strings{"192.0.2.31", "2001:db8::31", "fe80::250:56ff:feb1:1c2d"});
}

TEST_CASE(
    "OpenShift Machine with upper-case InternalDNS and a trailing dot: node names folded as "
    "DNS compares them, the source's spelling kept for messages") {
  auto obj = load_fixture("openshift_machine_provisioned.json");
  obj["status"]["addresses"] = {{{"type", "InternalIP"}, {"address", "10.0.1.2"}},
                                {{"type", "InternalDNS"}, {"address", "IP-10-0-1-2.EC2.INTERNAL."}},
                                {{"type", "InternalDNS"}, {"address", "ip-10-0-1-2.ec2.internal"}},
                                {{"type", "InternalDNS"}, {"address", "Worker-7"}}};
  auto d = decode_openshift_machine(obj);
  REQUIRE(d.machine);
  const auto& m = *d.machine;
  // Two spellings of one name are one candidate.
  CHECK(m.node_name == "ip-10-0-1-2.ec2.internal");
  CHECK(m.other_node_names == Strings{"worker-7"});
  CHECK(m.node_names_as_written == Strings{"IP-10-0-1-2.EC2.INTERNAL.", "Worker-7"});
  CHECK(m.hostnames == Strings{"ip-10-0-1-2.ec2.internal", "worker-7"});

  nca::inventory::Snapshot s;
  s.machines.push_back(m);
  CHECK(s.machines_for_node("ip-10-0-1-2.ec2.internal").size() == 1);
  CHECK(s.machines_for_node("worker-7").size() == 1);

  // A degraded machine matches nothing, whatever it was spelt as.
  obj["status"]["nodeRef"] = "not an object";
  auto degraded = decode_openshift_machine(obj);
  REQUIRE(degraded.machine);
  CHECK(degraded.machine->node_name.empty());
  CHECK(degraded.machine->node_names_as_written.empty());
}

TEST_CASE("OpenShift Machine without nodeRef or InternalDNS uses its Hostname address") {
  auto obj = load_fixture("openshift_machine_provisioned.json");
  obj["status"]["addresses"] = {{{"type", "InternalIP"}, {"address", "192.0.2.40"}},
                                {{"type", "Hostname"}, {"address", "worker-40"}},
                                {{"type", "ExternalDNS"}, {"address", "w40.example.com"}}};
  auto d = decode_openshift_machine(obj);
  REQUIRE(d.machine);
  CHECK(d.machine->node_name == "worker-40");
  CHECK(d.machine->other_node_names.empty());
  CHECK(d.machine->hostnames == Strings{"worker-40", "w40.example.com"});
}

TEST_CASE("OpenShift Machine with only ExternalDNS and IPs has no node name") {
  auto obj = load_fixture("openshift_machine_provisioned.json");
  obj["status"]["addresses"] = {{{"type", "InternalIP"}, {"address", "192.0.2.40"}},
                                {{"type", "ExternalDNS"}, {"address", "w40.example.com"}}};
  auto d = decode_openshift_machine(obj);
  REQUIRE(d.machine);
  CHECK(d.machine->node_name.empty());
  CHECK(d.warnings.size() == 1);
}

TEST_CASE("OpenShift decoder refuses other types and deleting machines") {
  auto obj = load_fixture("openshift_machine_running.json");
  SECTION("a Cluster API Machine is not an OpenShift Machine") {
    obj["apiVersion"] = "cluster.x-k8s.io/v1beta1";
    auto d = decode_openshift_machine(obj);
    CHECK_FALSE(d.machine);
    CHECK(d.skipped.find("apiVersion") != std::string::npos);
  }
  SECTION("kind MachineSet") {
    obj["kind"] = "MachineSet";
    CHECK_FALSE(decode_openshift_machine(obj).machine);
  }
  SECTION("being deleted") {
    obj["metadata"]["deletionTimestamp"] = "2026-11-23T10:00:00Z";
    auto d = decode_openshift_machine(obj);
    CHECK_FALSE(d.machine);
    CHECK(d.skipped.find("deleted") != std::string::npos);
  }
  SECTION("nodeRef to something other than a Node: kept degraded, matching no node") {
    obj["status"]["nodeRef"]["kind"] = "Pod";
    auto d = decode_openshift_machine(obj);
    REQUIRE(d.machine);
    CHECK(d.degraded());
    CHECK(d.machine->node_name.empty());
    CHECK(d.machine->has_node_ref);
  }
}
