// Turning OpenSSL's thread-local error queue into a message, and emptying it.
// Every failure path in pkg/x509 ends with drain_openssl_errors() so a stale entry never
// leaks into the next call on the same thread. Thread-safe (the queue is per thread).
#pragma once

#include <string>

namespace nca::x509 {

// Returns the queued errors joined with "; " (empty if none) and clears the queue.
std::string drain_openssl_errors();

}  // namespace nca::x509
