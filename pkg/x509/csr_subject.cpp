// Subject and public key readers (csr_fields.h).
#include <openssl/evp.h>
#include <openssl/objects.h>

#include "x509/csr_fields.h"
#include "x509/openssl_error.h"
#include "x509/openssl_handles.h"

namespace nca::x509 {

std::string oid_text(const ASN1_OBJECT* obj) {
  char buf[128];
  const int n = OBJ_obj2txt(buf, sizeof buf, obj, /*no_name=*/1);
  if (n <= 0) return "?";
  return std::string(buf);  // truncated at 127 characters for absurd OIDs; only shown
}

Result<std::string> asn1_string_utf8(const ASN1_STRING* s, std::string_view what) {
  unsigned char* raw = nullptr;
  const int n = ASN1_STRING_to_UTF8(&raw, s);
  ossl::Buffer owned(raw);
  if (n < 0) {
    drain_openssl_errors();
    return invalid(std::string(what) + " is not a valid string");
  }
  std::string value(reinterpret_cast<const char*>(raw), static_cast<std::size_t>(n));
  // A NUL would let "a\0b" mean different things to different readers.
  if (value.find('\0') != std::string::npos) {
    return invalid(std::string(what) + " contains a NUL byte");
  }
  return value;
}

Status read_subject(X509_REQ* req, ParsedCsr& out) {
  const X509_NAME* name = X509_REQ_get_subject_name(req);
  if (name == nullptr) return invalid("request has no subject");
  const int count = X509_NAME_entry_count(name);
  for (int i = 0; i < count; ++i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
    const ASN1_OBJECT* obj = X509_NAME_ENTRY_get_object(entry);
    const int nid = OBJ_obj2nid(obj);
    const char* short_name = nid == NID_undef ? nullptr : OBJ_nid2sn(nid);
    const std::string key = short_name != nullptr ? short_name : oid_text(obj);
    auto value = asn1_string_utf8(X509_NAME_ENTRY_get_data(entry), "subject " + key);
    if (!value) return value.status();
    if (nid == NID_commonName) {
      out.common_names.push_back(std::move(*value));
    } else if (nid == NID_organizationName) {
      out.organizations.push_back(std::move(*value));
    } else {
      out.other_subject_attributes.push_back(key + "=" + *value);
    }
  }
  return Status::ok();
}

Status read_public_key(X509_REQ* req, ParsedCsr& out) {
  // get0: the request keeps ownership.
  EVP_PKEY* key = X509_REQ_get0_pubkey(req);
  if (key == nullptr) {
    const std::string why = drain_openssl_errors();
    return invalid("public key cannot be decoded" + (why.empty() ? "" : ": " + why));
  }
  PublicKeyInfo& info = out.key;
  info.bits = EVP_PKEY_get_bits(key);
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
      info.algorithm = KeyAlgorithm::kRsa;
      info.type_name = "RSA";
      break;
    case EVP_PKEY_EC: {
      info.algorithm = KeyAlgorithm::kEcdsa;
      info.type_name = "EC";
      char group[80] = {};
      std::size_t len = 0;
      // Explicit-parameter curves have no name: curve stays empty and no policy accepts it.
      if (EVP_PKEY_get_group_name(key, group, sizeof group, &len) == 1) info.curve = group;
      break;
    }
    case EVP_PKEY_ED25519:
      info.algorithm = KeyAlgorithm::kEd25519;
      info.type_name = "ED25519";
      break;
    default: {
      info.algorithm = KeyAlgorithm::kOther;
      const char* type = EVP_PKEY_get0_type_name(key);
      info.type_name = type != nullptr ? type : "unknown";
      break;
    }
  }
  drain_openssl_errors();
  return Status::ok();
}

}  // namespace nca::x509
