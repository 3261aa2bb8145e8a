// The message live `explain` gives when a read from the cluster fails: what it was reading,
// the server's answer, and a hint for the usual causes (unreachable, bad credentials,
// missing read rights). Pure function.
#pragma once

#include <string>

#include "base/status.h"

namespace nca::app {

// `status` (same code) with "cannot read WHAT: ..." and a hint.
Status cluster_error(const Status& status, const std::string& what);

}  // namespace nca::app
