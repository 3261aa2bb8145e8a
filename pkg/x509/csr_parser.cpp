#include "x509/csr_parser.h"

#include "x509/csr_fields.h"
#include "x509/openssl_error.h"
#include "x509/openssl_handles.h"
#include "x509/pem_block.h"

namespace nca::x509 {
namespace {

Result<ParsedCsr> parse_der(const std::vector<std::uint8_t>& der) {
  const unsigned char* p = der.data();
  const unsigned char* end = p + der.size();
  ossl::Req req(d2i_X509_REQ(nullptr, &p, static_cast<long>(der.size())));
  if (!req) {
    return invalid("not a PKCS#10 certificate request: " + drain_openssl_errors());
  }
  if (p != end) return invalid("trailing bytes after the DER certificate request");

  ParsedCsr out;
  if (Status s = read_subject(req.get(), out); !s.is_ok()) return s;
  if (Status s = read_public_key(req.get(), out); !s.is_ok()) return s;
  if (Status s = read_requested_extensions(req.get(), out); !s.is_ok()) return s;
  // A signature that does not verify is reported, not an error: the policy turns it into
  // its own reason code, and `explain` can still show what the request claims.
  out.signature_valid = X509_REQ_verify(req.get(), X509_REQ_get0_pubkey(req.get())) == 1;
  return out;
}

}  // namespace

Result<ParsedCsr> parse_csr_pem(std::string_view pem) {
  if (pem.size() > kMaxCsrPemBytes) {
    return invalid("CSR is " + std::to_string(pem.size()) + " bytes; the limit is " +
                   std::to_string(kMaxCsrPemBytes));
  }
  auto der = decode_single_pem_block(pem, "CERTIFICATE REQUEST");
  if (!der) return der.status().annotate("CSR PEM");
  auto parsed = parse_der(*der);
  drain_openssl_errors();  // leave the thread's queue empty whatever happened
  if (!parsed) return parsed.status().annotate("CSR");
  return parsed;
}

}  // namespace nca::x509
