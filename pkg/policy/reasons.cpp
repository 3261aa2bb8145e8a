#include "policy/reasons.h"

#include <array>

namespace nca::policy {
namespace {

using enum ReasonClass;
namespace r = reason;

constexpr std::array kReasons = {
    ReasonInfo{r::kServingApproved, kApproved, "serving CSR matches its node and machine"},
    ReasonInfo{r::kClientBootstrapApproved, kApproved,
               "bootstrap client CSR for a machine that has no Node yet"},
    ReasonInfo{r::kClientRenewalApproved, kApproved, "client CSR renewal by the node itself"},

    ReasonInfo{r::kSignerNotHandled, kIgnored, "signer is not one this approver handles"},
    ReasonInfo{r::kAlreadyDecided, kIgnored, "CSR is already approved, denied or failed"},
    ReasonInfo{r::kRequesterNotRecognized, kIgnored,
               "requester is neither a node nor a configured bootstrap identity"},
    ReasonInfo{r::kKindDisabled, kIgnored, "this kind of CSR is disabled in the config"},

    ReasonInfo{r::kInvalidNodeName, kFailure, "node name is empty or not a DNS subdomain"},
    ReasonInfo{r::kNodeGroupsMissing, kFailure,
               "node requester lacks group system:nodes or system:authenticated"},
    ReasonInfo{r::kBootstrapperNotAuthenticated, kFailure,
               "bootstrap requester lacks group system:authenticated"},

    ReasonInfo{r::kCsrUnparseable, kFailure, "spec.request is not exactly one valid PEM CSR"},
    ReasonInfo{r::kSignatureInvalid, kFailure, "the request's self-signature does not verify"},
    ReasonInfo{r::kCommonNameMismatch, kFailure, "subject CN is not system:node:<name>"},
    ReasonInfo{r::kOrganizationMismatch, kFailure, "subject O is not exactly [system:nodes]"},
    ReasonInfo{r::kSubjectAttributesUnexpected, kFailure,
               "subject has attributes other than CN and O"},
    ReasonInfo{r::kExtensionsUnexpected, kFailure,
               "request asks for extensions other than subjectAltName"},
    ReasonInfo{r::kKeyTypeNotAllowed, kFailure, "key is not RSA or ECDSA on an allowed curve"},
    ReasonInfo{r::kKeyTooWeak, kFailure, "RSA key shorter than the configured minimum"},
    ReasonInfo{r::kUsagesMismatch, kFailure, "spec.usages differ from what the kind allows"},
    ReasonInfo{r::kUsagesDuplicated, kFailure, "spec.usages lists a usage twice"},
    ReasonInfo{r::kExpirationTooLong, kFailure,
               "spec.expirationSeconds exceeds maxExpirationSeconds"},
    ReasonInfo{r::kSanEmailNotAllowed, kFailure, "request carries an email SAN"},
    ReasonInfo{r::kSanUriNotAllowed, kFailure, "request carries a URI SAN"},
    ReasonInfo{r::kSanOtherNotAllowed, kFailure, "request carries an otherName/dirName/other SAN"},
    ReasonInfo{r::kClientCsrHasSans, kFailure, "client CSR carries SANs"},
    ReasonInfo{r::kServingCsrWithoutSans, kFailure, "serving CSR carries no DNS or IP SAN"},

    ReasonInfo{r::kClusterInternalName, kFailure,
               "a DNS SAN is a cluster-internal name (kubernetes[.default[.svc]], *.svc, the "
               "cluster domain)"},
    ReasonInfo{r::kClusterInternalAddress, kFailure,
               "an IP SAN is a cluster-internal address (service range, kubernetes Service, API "
               "server endpoint, pod CIDR, clusterNetwork.internalCIDRs)"},

    ReasonInfo{r::kNodeNotFound, kWaiting, "no Node with the requester's name exists"},
    ReasonInfo{r::kMachineNotFound, kWaiting, "no trusted inventory entry describes this node"},
    ReasonInfo{r::kSanDnsInvalid, kFailure, "a DNS SAN is not a valid host name"},
    ReasonInfo{r::kSanDnsWildcard, kFailure, "a DNS SAN is a wildcard"},
    ReasonInfo{r::kSanDnsOutsideAllowedDomains, kFailure,
               "a DNS SAN is outside serving.allowedDomains"},
    ReasonInfo{r::kSanDnsNotInInventory, kFailure,
               "a DNS SAN is not one of the machine's host names"},
    ReasonInfo{r::kSanDnsReportedByOtherNode, kFailure,
               "a DNS SAN is known only from Node addresses and another Node reports it too"},
    ReasonInfo{r::kSanIpForbiddenRange, kFailure,
               "an IP SAN is loopback, unspecified, link-local or multicast"},
    ReasonInfo{r::kSanIpOutsideAllowedCidrs, kFailure, "an IP SAN is outside serving.allowedCIDRs"},
    ReasonInfo{r::kSanIpNotInInventory, kFailure,
               "an IP SAN is not one of the machine's addresses"},
    ReasonInfo{r::kSanIpReportedByOtherNode, kFailure,
               "an IP SAN is known only from Node addresses and another Node reports it too"},
    ReasonInfo{r::kSanDnsDoesNotResolve, kFailure, "a DNS SAN does not resolve"},
    ReasonInfo{r::kSanDnsResolvesElsewhere, kFailure,
               "a DNS SAN resolves to an address that is not the machine's"},
    ReasonInfo{r::kDnsLookupTransient, kTransient, "a DNS lookup failed transiently"},
    ReasonInfo{r::kDnsResolverUnavailable, kTransient,
               "serving.resolveDNS is on but no resolver is available"},
    ReasonInfo{r::kDnsLookupPending, kTransient,
               "a DNS lookup is under way; the CSR is evaluated again when it answers"},
    ReasonInfo{r::kSanIpPtrMismatch, kFailure,
               "with serving.dns.reverseCheck, an IP SAN's PTR records name none of the DNS SANs"},
    ReasonInfo{r::kLiveCertificatePending, kTransient,
               "the kubelet's live serving certificate is being fetched; the CSR is evaluated "
               "again when it is"},

    ReasonInfo{r::kNodeAlreadyExists, kFailure,
               "bootstrap CSR for a Node that already exists (node takeover attempt)"},
    ReasonInfo{r::kMachineAlreadyHasNode, kFailure,
               "bootstrap CSR for a machine already linked to a Node"},
    ReasonInfo{r::kMachineAmbiguous, kFailure,
               "bootstrap CSR for a node name that two machines claim (same kind of source, or "
               "a BareMetalHost provisioned for another Machine)"},
    ReasonInfo{r::kCreationTimeUnknown, kFailure,
               "the machine's or the CSR's creation time is unknown"},
    ReasonInfo{r::kOutsideCreationWindow, kFailure,
               "bootstrap CSR created outside bootstrap.creationWindow after the machine"},
    ReasonInfo{r::kPendingGuardExceeded, kWaiting,
               "more pending bootstrap CSRs than the flood guard allows"},

    ReasonInfo{r::kSupersededByNewerCSR, kFailure,
               "a newer serving CSR of the same node is approved, issued or approvable",
               ReasonSource::kDecide},
    ReasonInfo{r::kClientCertificateAlreadyIssued, kFailure,
               "a client certificate for this node name was already approved within the "
               "bootstrap window",
               ReasonSource::kDecide},
    ReasonInfo{r::kDuplicateClientCSRPending, kWaiting,
               "an older approvable bootstrap CSR for the same node name is pending",
               ReasonSource::kDecide},
    ReasonInfo{r::kConfigUnavailable, kTransient,
               "explain could not read the controller's config, so it does not answer",
               ReasonSource::kExplain},
};

}  // namespace

std::span<const ReasonInfo> all_reasons() { return kReasons; }

const ReasonInfo* find_reason(std::string_view code) {
  for (const auto& info : kReasons) {
    if (info.code == code) return &info;
  }
  return nullptr;
}

}  // namespace nca::policy
