// Test helpers: load a JSON fixture from test/unit/inventory/fixtures, and list a
// machine's addresses as canonical text.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "inventory/machine.h"

namespace nca::inventory::test {

nlohmann::json load_fixture(const std::string& name);  // throws on a missing/bad file
std::vector<std::string> address_texts(const Machine& machine);

}  // namespace nca::inventory::test
