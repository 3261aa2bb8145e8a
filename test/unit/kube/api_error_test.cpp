#include "kube/api_error.h"

#include <catch2/catch.hpp>

using namespace nca::kube;
using nca::Code;

namespace {

std::string status_body(int code, const std::string& reason, const std::string& message) {
  return nlohmann::json{{"kind", "Status"},   {"apiVersion", "v1"}, {"status", "Failure"},
                        {"message", message}, {"reason", reason},   {"code", code}}
      .dump();
}

}  // namespace

TEST_CASE("HTTP codes and Status reasons map to typed codes") {
  CHECK(status_from_response(404, status_body(404, "NotFound", "x not found")).code() ==
        Code::kNotFound);
  CHECK(status_from_response(409, status_body(409, "AlreadyExists", "exists")).code() ==
        Code::kAlreadyExists);
  CHECK(status_from_response(409, status_body(409, "Conflict", "modified")).code() ==
        Code::kConflict);
  CHECK(status_from_response(410, status_body(410, "Expired", "too old")).code() == Code::kGone);
  CHECK(status_from_response(401, status_body(401, "Unauthorized", "Unauthorized")).code() ==
        Code::kUnauthorized);
  CHECK(status_from_response(422, status_body(422, "Invalid", "bad")).code() == Code::kInvalid);
  CHECK(status_from_response(500, status_body(500, "InternalError", "etcd")).code() ==
        Code::kUnavailable);
  CHECK(status_from_response(504, status_body(504, "Timeout", "slow")).code() == Code::kTimeout);
  CHECK(status_from_response(503, "<html>gateway</html>").code() == Code::kUnavailable);
  CHECK(status_from_response(502, "").message() == "HTTP 502");
}

TEST_CASE("a 403 keeps the server's message verbatim") {
  std::string msg =
      "certificatesigningrequests.certificates.k8s.io \"csr-1\" is forbidden: user not "
      "permitted to approve requests with signerName \"kubernetes.io/kubelet-serving\"";
  auto s = status_from_response(403, status_body(403, "Forbidden", msg));
  CHECK(s.code() == Code::kForbidden);
  CHECK(s.message() == msg);
}

TEST_CASE("429 carries Retry-After from the header or the Status details") {
  auto from_header =
      status_from_response(429, status_body(429, "TooManyRequests", "slow down"), "7");
  CHECK(from_header.code() == Code::kTooManyRequests);
  CHECK(from_header.retry_after_seconds() == 7);
  auto body = nlohmann::json::parse(status_body(429, "TooManyRequests", "slow down"));
  body["details"] = {{"retryAfterSeconds", 3}};
  auto from_details = status_from_response(429, body.dump());
  CHECK(from_details.retry_after_seconds() == 3);
  CHECK_FALSE(status_from_response(429, "", "Wed, 21 Oct 2015 07:28:00 GMT").retry_after_seconds());
  CHECK_FALSE(parse_retry_after("-1"));
  CHECK(parse_retry_after(" 12 ") == 12);
}

TEST_CASE("a Status body whose code disagrees with the HTTP code trusts the HTTP code") {
  nlohmann::json body{{"kind", "Status"}, {"message", "odd"}};  // no code field
  CHECK(status_from_response(409, body.dump()).code() == Code::kConflict);
  CHECK(status_from_api_status(nlohmann::json("x")).code() == Code::kInternal);
}
