#include "fixture.h"

#include <fstream>
#include <stdexcept>

namespace nca::inventory::test {

nlohmann::json load_fixture(const std::string& name) {
  const std::string path = std::string(NCA_INVENTORY_FIXTURES) + "/" + name;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open fixture " + path);
  return nlohmann::json::parse(in);
}

std::vector<std::string> address_texts(const Machine& machine) {
  std::vector<std::string> out;
  for (const auto& ip : machine.addresses) out.push_back(ip.text);
  return out;
}

}  // namespace nca::inventory::test
