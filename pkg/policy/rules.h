// Internal to pkg/policy: the rule table's building blocks. A Rule is a small named check
// (like the recognisers of kubernetes' sarapprove.go) that reads the Context and records
// one or more trace lines through a Recorder, each passing or failing with a reason code.
// evaluate.cpp runs the table; the rules live in request_rules.cpp (the request itself)
// and identity_rules.cpp (the request against the inventory). Not thread-shared: one
// Context and Recorder per evaluation.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "policy/evaluate.h"
#include "policy/names.h"

namespace nca::policy::detail {

// The names and addresses the policy trusts for one node, with where each came from.
struct TrustedIdentity {
  std::vector<const inventory::Machine*> machines;  // inventory sources for the node
  const inventory::Machine* node = nullptr;         // the Node, when it exists
  bool node_addresses_trusted = false;              // per serving.trustNodeAddresses
  // Node-reported names/addresses that another Node (or another node's machine) also
  // claims: never trusted.
  std::vector<std::string> contested_hostnames;
  std::vector<x509::IpAddress> contested_addresses;
};

// Whether the certificate the node's kubelet serves now vouches for the CSR's SANs.
struct LiveEvidence {
  enum class State { kOff, kPending, kMatches, kNoMatch };
  State state = State::kOff;
  std::string detail;  // what was seen, or why it does not vouch
};

struct Context {
  Context(const EvaluationInput& input, const PolicyConfig& cfg) : in(input), config(cfg) {}

  const EvaluationInput& in;
  const PolicyConfig& config;
  CsrKind kind = CsrKind::kUnknown;
  // The claimed node name: from the username (system:node:NAME) for node identities, from
  // the subject CN for bootstrap CSRs. Unknown when a bootstrap CSR's CN is unreadable.
  bool node_name_known = false;
  std::string node_name;
  bool node_name_valid = false;             // known and a valid DNS subdomain
  const x509::ParsedCsr* parsed = nullptr;  // null when the request did not parse
  TrustedIdentity identity;                 // filled for serving CSRs
  // serving.renewalFromLiveCertificate's verdict, asked for once by the first rule that
  // needs it (live_evidence()).
  mutable std::optional<LiveEvidence> live;
};

class Recorder {
 public:
  Recorder(std::vector<Check>& trace, std::vector<SanEvidence>& evidence)
      : trace_(trace), evidence_(evidence) {}

  void set_rule(std::string_view name) { rule_ = name; }
  void pass(std::string detail);
  void fail(std::string_view reason, std::string message);
  // What vouched for a SAN (source empty: nothing did, detail says why).
  void evidence(std::string san, std::string_view type, std::string_view source,
                std::string detail) {
    evidence_.push_back(
        SanEvidence{std::move(san), std::string(type), std::string(source), std::move(detail)});
  }

  bool failed() const { return first_reason_.has_value(); }
  std::string_view first_reason() const { return first_reason_.value_or(std::string_view{}); }
  const std::string& first_message() const { return first_message_; }

 private:
  std::vector<Check>& trace_;
  std::vector<SanEvidence>& evidence_;
  std::string_view rule_;
  std::optional<std::string_view> first_reason_;
  std::string first_message_;
};

enum KindMask : unsigned {
  kServingOnly = 1u << 0,
  kBootstrapOnly = 1u << 1,
  kRenewalOnly = 1u << 2,
  kClient = kBootstrapOnly | kRenewalOnly,
  kNodeIdentity = kServingOnly | kRenewalOnly,
  kAllKinds = kServingOnly | kBootstrapOnly | kRenewalOnly,
};

struct Rule {
  std::string_view name;
  unsigned kinds;        // KindMask bits
  bool needs_parsed;     // skipped when the request did not parse
  bool needs_node_name;  // skipped when the claimed node name is unknown or invalid
  bool only_when_clean;  // skipped once any earlier rule failed (e.g. DNS lookups)
  void (*run)(const Context&, Recorder&);
};

std::span<const Rule> request_rules();
std::span<const Rule> cluster_internal_rules();
std::span<const Rule> identity_rules();

// Rule serving.cluster-internal's classification (cluster_internal_rules.cpp), also used
// by serving.san-dns / serving.san-ip to skip what it refuses. For a normalized DNS name:
// why it is cluster-internal ("is under .svc: …"), or nullopt.
std::optional<std::string> cluster_internal_name(const Context& c, std::string_view normalized);
struct InternalAddress {
  std::string_view reason;  // kSanIpForbiddenRange or kClusterInternalAddress
  std::string why;          // "is loopback", "is inside service range …"
};
// For a canonical IP: why it is cluster-internal, or nullopt.
std::optional<InternalAddress> cluster_internal_ip(const Context& c, const x509::IpAddress& ip);

// The live-certificate verdict for a serving CSR (computed once per evaluation).
const LiveEvidence& live_evidence(const Context& c);

// Machines and Node for `node_name`, and which Node-reported values are trusted.
TrustedIdentity build_identity(const inventory::Snapshot& snap, std::string_view node_name,
                               const ServingConfig& cfg);

// Helpers shared by the rules (names.cpp).
std::string join(std::span<const std::string> items, std::string_view sep = ", ");
std::string describe(const inventory::Machine& m);  // "OpenShiftMachine ns/name"

inline constexpr std::string_view kNodeUserPrefix = "system:node:";
inline constexpr std::string_view kNodesGroup = "system:nodes";
inline constexpr std::string_view kAuthenticatedGroup = "system:authenticated";

}  // namespace nca::policy::detail
