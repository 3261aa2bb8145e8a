#include "inventory/openshift_machine.h"

#include "inventory/machine_status.h"
#include "inventory/type_check.h"

namespace nca::inventory {

Decoded decode_openshift_machine(const nlohmann::json& object) {
  if (std::string why = detail::check_type(object, "machine.openshift.io/v1beta1", "Machine");
      !why.empty()) {
    return Decoded::skip(why);
  }
  return detail::decode_machine_api_object(object, Source::kOpenShiftMachine);
}

}  // namespace nca::inventory
