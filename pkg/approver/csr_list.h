// CsrList: an immutable in-memory CsrSource over a fixed set of CSRs, for `explain` (the
// cluster's CSR list, or only the CSR given offline) and tests. Thread-safe (read-only
// after construction).
#pragma once

#include <vector>

#include "approver/csr_index.h"
#include "approver/parse_memo.h"
#include "approver/seams.h"

namespace nca::approver {

class CsrList final : public CsrSource {
 public:
  explicit CsrList(std::vector<CsrPtr> csrs) : csrs_(std::move(csrs)) {}

  CsrPtr get(const std::string& name) const override {
    for (const CsrPtr& c : csrs_) {
      if (c->metadata.name == name) return c;
    }
    return nullptr;
  }
  std::vector<CsrPtr> by_requester_node(const std::string& node_name) const override {
    std::vector<CsrPtr> out;
    for (const CsrPtr& c : csrs_) {
      if (requester_node(*c) == node_name) out.push_back(c);
    }
    return out;
  }
  std::vector<CsrPtr> list() const override { return csrs_; }
  ParsedPtr parsed(const kube::CertificateSigningRequest& csr) const override {
    return memo_.get(csr);
  }

 private:
  std::vector<CsrPtr> csrs_;
  mutable ParseMemo memo_;
};

}  // namespace nca::approver
