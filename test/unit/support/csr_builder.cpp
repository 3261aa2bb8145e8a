#include "support/csr_builder.h"

#include <arpa/inet.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include <algorithm>
#include <stdexcept>

#include "support/test_keys.h"

namespace nca::test {

namespace ossl = x509::ossl;

CsrBuilder CsrBuilder::kubelet_serving(std::string_view node_name) {
  CsrBuilder b = kubelet_client(node_name);
  b.dns(std::string(node_name));
  return b;
}

CsrBuilder CsrBuilder::kubelet_client(std::string_view node_name) {
  CsrBuilder b;
  b.organization("system:nodes").common_name("system:node:" + std::string(node_name));
  return b;
}

CsrBuilder& CsrBuilder::key(KeyType type, int rsa_bits) {
  key_type_ = type;
  rsa_bits_ = rsa_bits;
  return *this;
}

CsrBuilder& CsrBuilder::subject(std::string short_name, std::string value) {
  subject_.emplace_back(std::move(short_name), std::move(value));
  return *this;
}

CsrBuilder& CsrBuilder::clear_subject() {
  subject_.clear();
  return *this;
}

CsrBuilder& CsrBuilder::dns(std::string name) {
  sans_.push_back({SanEntry::kDns, std::move(name), {}});
  return *this;
}

CsrBuilder& CsrBuilder::ip(std::string_view text) {
  const std::string s(text);
  std::uint8_t buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) return ip_bytes({buf, buf + 4});
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) return ip_bytes({buf, buf + 16});
  throw std::runtime_error("test support: not an IP literal: " + s);
}

CsrBuilder& CsrBuilder::ip_bytes(std::vector<std::uint8_t> raw) {
  sans_.push_back({SanEntry::kIp, {}, std::move(raw)});
  return *this;
}

CsrBuilder& CsrBuilder::email(std::string address) {
  sans_.push_back({SanEntry::kEmail, std::move(address), {}});
  return *this;
}

CsrBuilder& CsrBuilder::uri(std::string uri) {
  sans_.push_back({SanEntry::kUri, std::move(uri), {}});
  return *this;
}

CsrBuilder& CsrBuilder::san_conf(std::string entry) {
  sans_.push_back({SanEntry::kConf, std::move(entry), {}});
  return *this;
}

CsrBuilder& CsrBuilder::clear_sans() {
  sans_.clear();
  return *this;
}

CsrBuilder& CsrBuilder::extension(std::string name, std::string value) {
  extensions_.push_back({std::move(name), std::move(value), {}, false, false});
  return *this;
}

CsrBuilder& CsrBuilder::raw_extension(std::string oid, std::vector<std::uint8_t> der_value,
                                      bool critical) {
  extensions_.push_back({std::move(oid), {}, std::move(der_value), true, critical});
  return *this;
}

CsrBuilder& CsrBuilder::split_extension_request() {
  split_ext_req_ = true;
  return *this;
}

CsrBuilder& CsrBuilder::microsoft_extension_request() {
  ms_ext_req_ = true;
  return *this;
}

CsrBuilder& CsrBuilder::challenge_password(std::string value) {
  challenge_password_ = std::move(value);
  return *this;
}

CsrBuilder& CsrBuilder::digest(std::string name) {
  digest_ = std::move(name);
  return *this;
}

CsrBuilder& CsrBuilder::corrupt_signature(bool on) {
  corrupt_ = on;
  return *this;
}

namespace {

GENERAL_NAME* ia5_name(int type, const std::string& value) {
  ASN1_IA5STRING* s = ASN1_IA5STRING_new();
  GENERAL_NAME* gn = GENERAL_NAME_new();
  if (s == nullptr || gn == nullptr ||
      ASN1_STRING_set(s, value.data(), static_cast<int>(value.size())) != 1) {
    ASN1_IA5STRING_free(s);
    GENERAL_NAME_free(gn);
    throw_openssl("SAN string");
  }
  GENERAL_NAME_set0_value(gn, type, s);
  return gn;
}

GENERAL_NAME* ip_name(const std::vector<std::uint8_t>& bytes) {
  ASN1_OCTET_STRING* s = ASN1_OCTET_STRING_new();
  GENERAL_NAME* gn = GENERAL_NAME_new();
  if (s == nullptr || gn == nullptr ||
      ASN1_OCTET_STRING_set(s, bytes.data(), static_cast<int>(bytes.size())) != 1) {
    ASN1_OCTET_STRING_free(s);
    GENERAL_NAME_free(gn);
    throw_openssl("SAN IP");
  }
  GENERAL_NAME_set0_value(gn, GEN_IPADD, s);
  return gn;
}

// Appends the names an OpenSSL config-syntax entry describes.
void add_conf_names(GENERAL_NAMES* names, const std::string& entry) {
  ossl::Extension ext(X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, entry.c_str()));
  if (!ext) throw_openssl("SAN entry \"" + entry + "\"");
  ossl::GeneralNames parsed(static_cast<GENERAL_NAMES*>(X509V3_EXT_d2i(ext.get())));
  if (!parsed) throw_openssl("SAN entry decode");
  while (sk_GENERAL_NAME_num(parsed.get()) > 0) {
    sk_GENERAL_NAME_push(names, sk_GENERAL_NAME_shift(parsed.get()));
  }
}

void push_ext(STACK_OF(X509_EXTENSION) * exts, X509_EXTENSION* ext) {
  if (ext == nullptr) throw_openssl("extension");
  if (sk_X509_EXTENSION_push(exts, ext) <= 0) {
    X509_EXTENSION_free(ext);
    throw_openssl("extension push");
  }
}

void add_ext_request(X509_REQ* req, STACK_OF(X509_EXTENSION) * exts, int nid) {
  if (sk_X509_EXTENSION_num(exts) == 0) return;
  if (X509_REQ_add_extensions_nid(req, exts, nid) != 1) throw_openssl("add extensions");
}

std::vector<std::uint8_t> to_der(X509_REQ* req) {
  unsigned char* out = nullptr;
  const int len = i2d_X509_REQ(req, &out);
  if (len <= 0) throw_openssl("i2d_X509_REQ");
  ossl::Buffer owned(out);
  return {out, out + len};
}

// Rewrites the smimeCapabilities attribute OID (1.2.840.113549.1.9.15) into `nid`'s OID,
// which encodes to the same length, and decodes the result: a request with two
// attributes of one type, which OpenSSL's builders refuse to make.
ossl::Req relabel_placeholder(X509_REQ* req, int nid) {
  std::vector<std::uint8_t> der = to_der(req);
  const std::vector<std::uint8_t> placeholder = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                                 0xf7, 0x0d, 0x01, 0x09, 0x0f};
  const ASN1_OBJECT* target = OBJ_nid2obj(nid);  // static table entry: not freed
  unsigned char* oid = nullptr;
  const int oid_len = i2d_ASN1_OBJECT(target, &oid);
  ossl::Buffer owned(oid);
  auto it = std::search(der.begin(), der.end(), placeholder.begin(), placeholder.end());
  if (it == der.end() || oid_len != static_cast<int>(placeholder.size())) {
    throw std::runtime_error("test support: cannot relabel the second extension request");
  }
  std::copy(oid, oid + oid_len, it);
  const unsigned char* p = der.data();
  ossl::Req out(d2i_X509_REQ(nullptr, &p, static_cast<long>(der.size())));
  if (!out) throw_openssl("re-decode request");
  return out;
}

}  // namespace

std::vector<std::uint8_t> CsrBuilder::der() const {
  ossl::Pkey key = make_test_key(key_type_, rsa_bits_);
  ossl::Req req(X509_REQ_new());
  if (!req || X509_REQ_set_version(req.get(), 0) != 1) throw_openssl("X509_REQ_new");

  X509_NAME* name = X509_REQ_get_subject_name(req.get());
  for (const auto& [field, value] : subject_) {
    if (X509_NAME_add_entry_by_txt(name, field.c_str(), MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.data()),
                                   static_cast<int>(value.size()), -1, 0) != 1) {
      throw_openssl("subject " + field);
    }
  }
  if (X509_REQ_set_pubkey(req.get(), key.get()) != 1) throw_openssl("set public key");

  ossl::Extensions first(sk_X509_EXTENSION_new_null());
  ossl::Extensions second(sk_X509_EXTENSION_new_null());
  if (!first || !second) throw_openssl("extension stack");
  if (!sans_.empty()) {
    ossl::GeneralNames names(GENERAL_NAMES_new());
    if (!names) throw_openssl("GENERAL_NAMES_new");
    for (const auto& san : sans_) {
      switch (san.kind) {
        case SanEntry::kDns:
          sk_GENERAL_NAME_push(names.get(), ia5_name(GEN_DNS, san.text));
          break;
        case SanEntry::kEmail:
          sk_GENERAL_NAME_push(names.get(), ia5_name(GEN_EMAIL, san.text));
          break;
        case SanEntry::kUri:
          sk_GENERAL_NAME_push(names.get(), ia5_name(GEN_URI, san.text));
          break;
        case SanEntry::kIp:
          sk_GENERAL_NAME_push(names.get(), ip_name(san.bytes));
          break;
        case SanEntry::kConf:
          add_conf_names(names.get(), san.text);
          break;
      }
    }
    push_ext(first.get(), X509V3_EXT_i2d(NID_subject_alt_name, 0, names.get()));
  }
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, nullptr, nullptr, req.get(), nullptr, 0);
  for (const auto& e : extensions_) {
    STACK_OF(X509_EXTENSION)* target = split_ext_req_ ? second.get() : first.get();
    if (!e.raw_form) {
      push_ext(target,
               X509V3_EXT_nconf(nullptr, &ctx, e.name_or_oid.c_str(), e.conf_value.c_str()));
      continue;
    }
    ossl::AsnObject obj(OBJ_txt2obj(e.name_or_oid.c_str(), 1));
    ossl::OctetString data(ASN1_OCTET_STRING_new());
    if (!obj || !data ||
        ASN1_OCTET_STRING_set(data.get(), e.raw.data(), static_cast<int>(e.raw.size())) != 1) {
      throw_openssl("raw extension " + e.name_or_oid);
    }
    push_ext(target,
             X509_EXTENSION_create_by_OBJ(nullptr, obj.get(), e.critical ? 1 : 0, data.get()));
  }
  const int ext_nid = ms_ext_req_ ? NID_ms_ext_req : NID_ext_req;
  add_ext_request(req.get(), first.get(), ext_nid);
  // OpenSSL refuses to add a second attribute with the same OID, so the second list goes
  // under a placeholder OID of the same length and is relabelled in the DER below.
  add_ext_request(req.get(), second.get(), NID_SMIMECapabilities);
  if (!challenge_password_.empty() &&
      X509_REQ_add1_attr_by_NID(req.get(), NID_pkcs9_challengePassword, MBSTRING_UTF8,
                                reinterpret_cast<const unsigned char*>(challenge_password_.data()),
                                static_cast<int>(challenge_password_.size())) != 1) {
    throw_openssl("challengePassword");
  }

  // Ed25519 signs the message itself: no separate digest.
  const EVP_MD* md = nullptr;
  if (key_type_ != KeyType::kEd25519) {
    md = EVP_get_digestbyname(digest_.c_str());
    if (md == nullptr) throw_openssl("unknown digest " + digest_);
  }
  if (X509_REQ_sign(req.get(), key.get(), md) <= 0) throw_openssl("X509_REQ_sign");
  if (sk_X509_EXTENSION_num(second.get()) > 0) {
    req = relabel_placeholder(req.get(), ext_nid);
    if (X509_REQ_sign(req.get(), key.get(), md) <= 0) throw_openssl("X509_REQ_sign");
  }
  if (corrupt_) {
    const ASN1_BIT_STRING* sig = nullptr;
    X509_REQ_get0_signature(req.get(), &sig, nullptr);
    auto* bits = const_cast<ASN1_BIT_STRING*>(sig);
    const int len = ASN1_STRING_length(bits);
    if (len <= 0) throw std::runtime_error("test support: empty signature");
    bits->data[len / 2] ^= 0x01;
  }

  return to_der(req.get());
}

std::string CsrBuilder::pem() const { return der_to_pem(der(), "CERTIFICATE REQUEST"); }

std::string der_to_pem(const std::vector<std::uint8_t>& der, std::string_view label) {
  std::string b64(4 * ((der.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), der.data(),
                                static_cast<int>(der.size()));
  b64.resize(static_cast<std::size_t>(n));
  std::string out = "-----BEGIN " + std::string(label) + "-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  return out + "-----END " + std::string(label) + "-----\n";
}

std::string concat_pem(std::string_view first, std::string_view second) {
  return std::string(first) + std::string(second);
}

std::string with_trailing(std::string_view pem, std::string_view garbage) {
  return std::string(pem) + std::string(garbage);
}

std::string self_signed_certificate_pem() {
  ossl::Pkey key = make_test_key(KeyType::kEcP256, 0);
  ossl::Handle<X509, X509_free> cert(X509_new());
  if (!cert) throw_openssl("X509_new");
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("not-a-csr"), -1, -1, 0);
  if (X509_set_version(cert.get(), 2) != 1 || X509_set_issuer_name(cert.get(), name) != 1 ||
      ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1) != 1 ||
      X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600) == nullptr ||
      X509_set_pubkey(cert.get(), key.get()) != 1 ||
      X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) {
    throw_openssl("self-signed certificate");
  }
  unsigned char* out = nullptr;
  const int len = i2d_X509(cert.get(), &out);
  if (len <= 0) throw_openssl("i2d_X509");
  ossl::Buffer owned(out);
  return der_to_pem({out, out + len}, "CERTIFICATE");
}

}  // namespace nca::test
