#include "x509/openssl_error.h"

#include <openssl/err.h>

namespace nca::x509 {

std::string drain_openssl_errors() {
  std::string out;
  unsigned long code = 0;
  int entries = 0;
  while ((code = ERR_get_error()) != 0) {
    // Hostile input can queue many entries; a few are enough for a message.
    if (++entries > 4) continue;
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  ERR_clear_error();
  return out;
}

}  // namespace nca::x509
