// Owning handles for the OpenSSL objects pkg/x509 uses: std::unique_ptr with the matching
// free function, so every early return releases what it allocated.
// Internal: includes OpenSSL headers, so only pkg/x509 .cpp files and test support include
// it (public headers stay free of OpenSSL types). Handles are plain unique_ptrs: not
// synchronised; the objects they own are not shared between threads.
#pragma once

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace nca::x509::ossl {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const noexcept {
    if (p != nullptr) Free(p);
  }
};

template <typename T, void (*Free)(T*)>
using Handle = std::unique_ptr<T, Deleter<T, Free>>;

using Bio = Handle<BIO, BIO_free_all>;
using Req = Handle<X509_REQ, X509_REQ_free>;
using Pkey = Handle<EVP_PKEY, EVP_PKEY_free>;
using PkeyCtx = Handle<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using Name = Handle<X509_NAME, X509_NAME_free>;
using Extension = Handle<X509_EXTENSION, X509_EXTENSION_free>;
using GeneralName = Handle<GENERAL_NAME, GENERAL_NAME_free>;
using AsnObject = Handle<ASN1_OBJECT, ASN1_OBJECT_free>;
using OctetString = Handle<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;

// Stacks need a free function that also frees their elements.
inline void free_general_names(GENERAL_NAMES* names) { GENERAL_NAMES_free(names); }
inline void free_extensions(STACK_OF(X509_EXTENSION) * exts) {
  sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
}
using GeneralNames = Handle<GENERAL_NAMES, free_general_names>;
using Extensions = Handle<STACK_OF(X509_EXTENSION), free_extensions>;

// OPENSSL_free is a macro; wrap it so it can be a template argument.
inline void free_openssl_buffer(unsigned char* p) { OPENSSL_free(p); }
using Buffer = Handle<unsigned char, free_openssl_buffer>;

}  // namespace nca::x509::ossl
