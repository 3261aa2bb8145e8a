#include "kube/objects.h"

namespace nca::kube {

std::string object_key(const ObjectMeta& meta) {
  if (meta.namespace_.empty()) return meta.name;
  return meta.namespace_ + "/" + meta.name;
}

bool CertificateSigningRequest::has_condition(std::string_view type) const {
  for (const auto& c : conditions) {
    if (c.type == type && c.status == "True") return true;
  }
  return false;
}

}  // namespace nca::kube
