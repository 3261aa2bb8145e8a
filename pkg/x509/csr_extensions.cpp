// Requested-extension reader (csr_fields.h). Strict where OpenSSL and Go could disagree:
// Go (the kube-controller-manager signer) merges every extensionRequest attribute, while
// OpenSSL's X509_REQ_get_extensions reads only the first, so a second attribute could hide
// SANs from us that the signer would issue. We therefore walk the attributes ourselves and
// refuse anything ambiguous: a second extensionRequest, Microsoft's variant, a repeated
// extension, undecodable or over-long DER.
#include <openssl/objects.h>

#include <set>

#include "x509/csr_fields.h"
#include "x509/ip_address.h"
#include "x509/openssl_error.h"
#include "x509/openssl_handles.h"

namespace nca::x509 {
namespace {

// An IA5String SAN (DNS, email, URI): ASCII, non-empty, no NUL.
Result<std::string> ia5_value(const ASN1_IA5STRING* s, std::string_view what) {
  if (s == nullptr || ASN1_STRING_length(s) <= 0) return invalid(std::string(what) + " is empty");
  const auto* data = ASN1_STRING_get0_data(s);
  const auto len = static_cast<std::size_t>(ASN1_STRING_length(s));
  for (std::size_t i = 0; i < len; ++i) {
    if (data[i] == 0 || data[i] > 0x7f) {
      return invalid(std::string(what) + " is not ASCII (IA5String)");
    }
  }
  return std::string(reinterpret_cast<const char*>(data), len);
}

std::string describe_dir_name(const X509_NAME* name) {
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) return "dirName";
  char* text = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &text);
  return "dirName:" + std::string(text, static_cast<std::size_t>(len > 0 ? len : 0));
}

Status add_general_name(const GENERAL_NAME* gn, SubjectAltNames& sans) {
  switch (gn->type) {
    case GEN_DNS: {
      auto v = ia5_value(gn->d.dNSName, "DNS SAN");
      if (!v) return v.status();
      sans.dns.push_back(std::move(*v));
      return Status::ok();
    }
    case GEN_EMAIL: {
      auto v = ia5_value(gn->d.rfc822Name, "email SAN");
      if (!v) return v.status();
      sans.emails.push_back(std::move(*v));
      return Status::ok();
    }
    case GEN_URI: {
      auto v = ia5_value(gn->d.uniformResourceIdentifier, "URI SAN");
      if (!v) return v.status();
      sans.uris.push_back(std::move(*v));
      return Status::ok();
    }
    case GEN_IPADD: {
      const ASN1_OCTET_STRING* s = gn->d.iPAddress;
      const auto* data = ASN1_STRING_get0_data(s);
      const std::vector<std::uint8_t> bytes(data, data + ASN1_STRING_length(s));
      auto ip = canonical_ip(bytes);
      if (!ip) {
        return invalid("IP SAN has " + std::to_string(bytes.size()) +
                       " bytes; an address has 4 or 16");
      }
      sans.ips.push_back(std::move(*ip));
      return Status::ok();
    }
    case GEN_OTHERNAME:
      sans.others.push_back("otherName:" + oid_text(gn->d.otherName->type_id));
      return Status::ok();
    case GEN_DIRNAME:
      sans.others.push_back(describe_dir_name(gn->d.directoryName));
      return Status::ok();
    case GEN_RID:
      sans.others.push_back("registeredID:" + oid_text(gn->d.registeredID));
      return Status::ok();
    case GEN_X400:
      sans.others.push_back("x400Address");
      return Status::ok();
    case GEN_EDIPARTY:
      sans.others.push_back("ediPartyName");
      return Status::ok();
    default:
      return invalid("SAN of unknown type " + std::to_string(gn->type));
  }
}

Status read_san(X509_EXTENSION* ext, SubjectAltNames& sans) {
  const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(ext);
  const unsigned char* p = ASN1_STRING_get0_data(value);
  const unsigned char* end = p + ASN1_STRING_length(value);
  ossl::GeneralNames names(d2i_GENERAL_NAMES(nullptr, &p, end - p));
  if (!names)
    return invalid("subjectAltName extension is not valid DER: " + drain_openssl_errors());
  if (p != end) return invalid("subjectAltName extension has trailing bytes");
  const int count = sk_GENERAL_NAME_num(names.get());
  if (count == 0) return invalid("subjectAltName extension is empty");
  for (int i = 0; i < count; ++i) {
    Status s = add_general_name(sk_GENERAL_NAME_value(names.get(), i), sans);
    if (!s.is_ok()) return s;
  }
  return Status::ok();
}

// The extension list inside one extensionRequest attribute.
Result<ossl::Extensions> decode_extension_request(const X509_ATTRIBUTE* attr) {
  if (X509_ATTRIBUTE_count(attr) != 1) {
    return invalid("extensionRequest attribute must hold exactly one value");
  }
  const ASN1_TYPE* type = X509_ATTRIBUTE_get0_type(const_cast<X509_ATTRIBUTE*>(attr), 0);
  if (type == nullptr || type->type != V_ASN1_SEQUENCE) {
    return invalid("extensionRequest attribute is not a SEQUENCE of extensions");
  }
  const ASN1_STRING* seq = type->value.sequence;
  const unsigned char* p = ASN1_STRING_get0_data(seq);
  const unsigned char* end = p + ASN1_STRING_length(seq);
  ossl::Extensions exts(d2i_X509_EXTENSIONS(nullptr, &p, end - p));
  if (!exts) return invalid("requested extensions are not valid DER: " + drain_openssl_errors());
  if (p != end) return invalid("requested extensions have trailing bytes");
  return exts;
}

}  // namespace

Status read_requested_extensions(X509_REQ* req, ParsedCsr& out) {
  const X509_ATTRIBUTE* ext_req = nullptr;
  const int attrs = X509_REQ_get_attr_count(req);
  for (int i = 0; i < attrs; ++i) {
    const X509_ATTRIBUTE* attr = X509_REQ_get_attr(req, i);
    const int nid = OBJ_obj2nid(X509_ATTRIBUTE_get0_object(const_cast<X509_ATTRIBUTE*>(attr)));
    if (nid == NID_ms_ext_req) {
      return invalid("Microsoft extension request attribute is not supported");
    }
    if (nid != NID_ext_req) continue;  // challengePassword and friends: not ours to judge
    if (ext_req != nullptr) return invalid("more than one extensionRequest attribute");
    ext_req = attr;
  }
  if (ext_req == nullptr) return Status::ok();

  auto exts = decode_extension_request(ext_req);
  if (!exts) return exts.status();
  std::set<std::string> seen;
  const int count = sk_X509_EXTENSION_num(exts->get());
  for (int i = 0; i < count; ++i) {
    X509_EXTENSION* ext = sk_X509_EXTENSION_value(exts->get(), i);
    const ASN1_OBJECT* obj = X509_EXTENSION_get_object(ext);
    std::string oid = oid_text(obj);
    if (!seen.insert(oid).second) return invalid("extension " + oid + " is requested twice");
    if (OBJ_obj2nid(obj) == NID_subject_alt_name) {
      Status s = read_san(ext, out.sans);
      if (!s.is_ok()) return s;
    } else {
      out.other_extensions.push_back(std::move(oid));
    }
  }
  return Status::ok();
}

}  // namespace nca::x509
