// Reason codes: the stable, CamelCase codes a Decision can carry, with what each means.
// docs/policy.md documents every one of them (a unit test checks it). Codes are part of
// the product's interface (Events, metrics labels, alerts): never rename one.
// Immutable static data; thread-safe.
#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace nca::policy {

enum class ReasonClass {
  kApproved,   // the CSR is approved
  kIgnored,    // not ours: outcome ignore
  kFailure,    // a check failed: outcome per FailureAction (pending by default)
  kWaiting,    // a check failed in a way that may resolve by itself (caches catch up, the
               // flood ends): pending even when failureAction is deny, unless a per-reason
               // override says deny
  kTransient,  // a lookup failed transiently: always pending, cannot be overridden
};

// Who emits a reason: policy::evaluate (the per-CSR rules), approver::decide (the
// cross-CSR rules) or `explain` alone.
enum class ReasonSource { kPolicy, kDecide, kExplain };

struct ReasonInfo {
  std::string_view code;
  ReasonClass klass;
  std::string_view summary;  // one line for humans
  ReasonSource source = ReasonSource::kPolicy;
};

// Every reason code evaluate() and approver::decide() can emit.
std::span<const ReasonInfo> all_reasons();

// nullptr when `code` is not a reason code.
const ReasonInfo* find_reason(std::string_view code);

// The name of every check a Decision's trace can contain, in evaluation order.
std::vector<std::string_view> all_check_names();

namespace reason {
// Approved.
inline constexpr std::string_view kServingApproved = "ServingApproved";
inline constexpr std::string_view kClientBootstrapApproved = "ClientBootstrapApproved";
inline constexpr std::string_view kClientRenewalApproved = "ClientRenewalApproved";
// Ignored.
inline constexpr std::string_view kSignerNotHandled = "SignerNotHandled";
inline constexpr std::string_view kAlreadyDecided = "AlreadyDecided";
inline constexpr std::string_view kRequesterNotRecognized = "RequesterNotRecognized";
inline constexpr std::string_view kKindDisabled = "KindDisabled";
// Requester.
inline constexpr std::string_view kInvalidNodeName = "InvalidNodeName";
inline constexpr std::string_view kNodeGroupsMissing = "NodeGroupsMissing";
inline constexpr std::string_view kBootstrapperNotAuthenticated = "BootstrapperNotAuthenticated";
// Request.
inline constexpr std::string_view kCsrUnparseable = "CsrUnparseable";
inline constexpr std::string_view kSignatureInvalid = "SignatureInvalid";
inline constexpr std::string_view kCommonNameMismatch = "CommonNameMismatch";
inline constexpr std::string_view kOrganizationMismatch = "OrganizationMismatch";
inline constexpr std::string_view kSubjectAttributesUnexpected = "SubjectAttributesUnexpected";
inline constexpr std::string_view kExtensionsUnexpected = "ExtensionsUnexpected";
inline constexpr std::string_view kKeyTypeNotAllowed = "KeyTypeNotAllowed";
inline constexpr std::string_view kKeyTooWeak = "KeyTooWeak";
inline constexpr std::string_view kUsagesMismatch = "UsagesMismatch";
inline constexpr std::string_view kUsagesDuplicated = "UsagesDuplicated";
inline constexpr std::string_view kExpirationTooLong = "ExpirationTooLong";
inline constexpr std::string_view kSanEmailNotAllowed = "SanEmailNotAllowed";
inline constexpr std::string_view kSanUriNotAllowed = "SanUriNotAllowed";
inline constexpr std::string_view kSanOtherNotAllowed = "SanOtherNotAllowed";
inline constexpr std::string_view kClientCsrHasSans = "ClientCsrHasSans";
inline constexpr std::string_view kServingCsrWithoutSans = "ServingCsrWithoutSans";
// Serving: cluster-internal identities (never approved, whatever the inventory says).
inline constexpr std::string_view kClusterInternalName = "ClusterInternalName";
inline constexpr std::string_view kClusterInternalAddress = "ClusterInternalAddress";
// Serving identity vs inventory.
inline constexpr std::string_view kNodeNotFound = "NodeNotFound";
inline constexpr std::string_view kMachineNotFound = "MachineNotFound";
inline constexpr std::string_view kSanDnsInvalid = "SanDnsInvalid";
inline constexpr std::string_view kSanDnsWildcard = "SanDnsWildcard";
inline constexpr std::string_view kSanDnsOutsideAllowedDomains = "SanDnsOutsideAllowedDomains";
inline constexpr std::string_view kSanDnsNotInInventory = "SanDnsNotInInventory";
inline constexpr std::string_view kSanDnsReportedByOtherNode = "SanDnsReportedByOtherNode";
inline constexpr std::string_view kSanIpForbiddenRange = "SanIpForbiddenRange";
inline constexpr std::string_view kSanIpOutsideAllowedCidrs = "SanIpOutsideAllowedCidrs";
inline constexpr std::string_view kSanIpNotInInventory = "SanIpNotInInventory";
inline constexpr std::string_view kSanIpReportedByOtherNode = "SanIpReportedByOtherNode";
inline constexpr std::string_view kSanDnsDoesNotResolve = "SanDnsDoesNotResolve";
inline constexpr std::string_view kSanDnsResolvesElsewhere = "SanDnsResolvesElsewhere";
inline constexpr std::string_view kDnsLookupTransient = "DnsLookupTransient";
inline constexpr std::string_view kDnsResolverUnavailable = "DnsResolverUnavailable";
inline constexpr std::string_view kDnsLookupPending = "DnsLookupPending";
inline constexpr std::string_view kSanIpPtrMismatch = "SanIpPtrMismatch";
inline constexpr std::string_view kLiveCertificatePending = "LiveCertificatePending";
// Client bootstrap.
inline constexpr std::string_view kNodeAlreadyExists = "NodeAlreadyExists";
inline constexpr std::string_view kMachineAlreadyHasNode = "MachineAlreadyHasNode";
inline constexpr std::string_view kMachineAmbiguous = "MachineAmbiguous";
inline constexpr std::string_view kCreationTimeUnknown = "CreationTimeUnknown";
inline constexpr std::string_view kOutsideCreationWindow = "OutsideCreationWindow";
inline constexpr std::string_view kPendingGuardExceeded = "PendingGuardExceeded";
// Cross-CSR rules (approver::decide).
inline constexpr std::string_view kSupersededByNewerCSR = "SupersededByNewerCSR";
inline constexpr std::string_view kClientCertificateAlreadyIssued =
    "ClientCertificateAlreadyIssued";
inline constexpr std::string_view kDuplicateClientCSRPending = "DuplicateClientCSRPending";
// explain only: the controller's config could not be read, so explain does not answer.
inline constexpr std::string_view kConfigUnavailable = "ConfigUnavailable";
}  // namespace reason

}  // namespace nca::policy
