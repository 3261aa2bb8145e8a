// The readers behind parse_csr_pem, one per part of a decoded PKCS#10 request. Each fills
// its part of ParsedCsr or returns Invalid naming the problem. Internal to pkg/x509 (takes
// OpenSSL types). Thread-safe: no shared state.
#pragma once

#include <openssl/x509.h>

#include <string>

#include "base/status.h"
#include "x509/parsed_csr.h"

namespace nca::x509 {

// Subject: every CN, every O in order, everything else as "SN=value".
Status read_subject(X509_REQ* req, ParsedCsr& out);

// Public key algorithm, size and curve.
Status read_public_key(X509_REQ* req, ParsedCsr& out);

// The extensionRequest attribute: subjectAltName by type, other extension OIDs.
Status read_requested_extensions(X509_REQ* req, ParsedCsr& out);

// An ASN.1 string as UTF-8; Invalid if it is not a string type or holds a NUL byte.
Result<std::string> asn1_string_utf8(const ASN1_STRING* s, std::string_view what);

// The dotted form of an OID.
std::string oid_text(const ASN1_OBJECT* obj);

}  // namespace nca::x509
