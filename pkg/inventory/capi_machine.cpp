#include "inventory/capi_machine.h"

#include "inventory/machine_status.h"
#include "inventory/type_check.h"

namespace nca::inventory {

Decoded decode_capi_machine(const nlohmann::json& object) {
  if (std::string why = detail::check_type(object, "cluster.x-k8s.io/", "Machine"); !why.empty()) {
    return Decoded::skip(why);
  }
  return detail::decode_machine_api_object(object, Source::kClusterApiMachine);
}

}  // namespace nca::inventory
