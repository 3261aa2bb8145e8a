#include "app/explain_config.h"

#include <map>

#include "app/cluster_error.h"
#include "app/explain_inputs.h"
#include "config/policy_config.h"
#include "daemon/config_tracker.h"
#include "daemon/last_good_config.h"
#include "kube/decode.h"

namespace nca::app {

namespace {

using Data = std::map<std::string, std::string>;

Result<std::string> read_text(const std::string& flag, const std::string& path) {
  Result<std::string> text = read_input_file(path);
  if (!text) return Status(text.status().code(), flag + " " + text.status().message());
  return text;
}

bool is_controller_key(const std::string& key) {
  return key == daemon::kConfigKey || key == daemon::kInventoryKey;
}

// The controller's keys of a ConfigMap over `base` (a key absent keeps base's value, as in
// the daemon), or why the version is rejected. `what` names the ConfigMap.
Result<LiveConfig> over(LiveConfig base, const Data& data, const std::string& what) {
  if (auto it = data.find(std::string(daemon::kConfigKey)); it != data.end()) {
    auto parsed = config::parse_policy_config(it->second, what + " " + it->first);
    if (!parsed) return parsed.status();
    base.config = std::move(*parsed);
    base.config_source = what + " " + it->first;
  } else {
    base.config_source += " (" + what + " has no " + std::string(daemon::kConfigKey) + ")";
  }
  if (auto it = data.find(std::string(daemon::kInventoryKey)); it != data.end()) {
    auto machines = daemon::parse_static_inventory(it->second);
    if (!machines) return machines.status().annotate(what + " " + it->first);
    base.static_machines = std::move(*machines);
    base.static_source = what + " " + it->first;
  }
  return base;
}

// A controller key the last good copy has and `data` lacks: the controller refuses such a
// version while running (a configured inventory never reverts to the defaults).
std::string removed_key(const Data& last_good, const Data& data) {
  for (const auto& [key, _] : last_good) {
    if (is_controller_key(key) && data.count(key) == 0) return key;
  }
  return "";
}

LiveConfig unknown(LiveConfig base, std::string why, std::vector<std::string>& notes) {
  notes.push_back(why);
  base.config_error = std::move(why);
  return base;
}

// The files' configuration with the controller's ConfigMap NS/NAME over it.
Result<LiveConfig> with_config_map(LiveConfig base, kube::ApiClient& client,
                                   const std::string& config_map, bool deployed,
                                   std::vector<std::string>& notes) {
  const auto slash = config_map.find('/');
  const std::string ns = config_map.substr(0, slash), name = config_map.substr(slash + 1);
  const std::string what = "ConfigMap " + config_map;
  const std::string copy_what = "ConfigMap " + ns + "/" + daemon::last_good_name(name);

  auto doc = client.get(kube::resources::configmaps(), ns, name);
  if (!doc && doc.status().code() != Code::kNotFound) {
    return unknown(std::move(base), cluster_error(doc.status(), what).message(), notes);
  }
  auto copy = daemon::read_last_good(client, ns, name);
  if (!copy) {
    // The controller may be running from the copy: without it, its config is unknown.
    return unknown(std::move(base), cluster_error(copy.status(), copy_what).message(), notes);
  }
  std::optional<Data> copy_data;
  if (*copy) copy_data = (*copy)->data;
  auto from_copy = [&](const std::string& why) -> Result<LiveConfig> {
    auto used = over(base, *copy_data, copy_what);
    if (!used) {
      return unknown(std::move(base),
                     why + ", and " + copy_what + " is unusable too: " + used.status().message(),
                     notes);
    }
    notes.push_back(why + "; the controller keeps its last good configuration, " + copy_what);
    return used;
  };

  if (!doc) {  // NotFound
    if (copy_data) return from_copy(what + " does not exist");
    if (deployed) {
      return unknown(std::move(base),
                     "the Deployment's " + what +
                         " does not exist, so the controller's config is unknown (name the "
                         "controller's ConfigMap with --config-map, or pass --no-config-map)",
                     notes);
    }
    // The controller runs with the file/default config while the ConfigMap is absent.
    notes.push_back(what + " does not exist; using the --config/--inventory files or defaults");
    return base;
  }
  auto cm = kube::decode_configmap(*doc);
  if (!cm) return unknown(std::move(base), cm.status().annotate(what).message(), notes);
  auto used = over(base, cm->data, what);
  if (!used) {
    const std::string why = what + " is rejected (" + used.status().message() + ")";
    if (copy_data) return from_copy(why);
    return unknown(std::move(base),
                   why + " and there is no last good copy, so the controller's config is unknown",
                   notes);
  }
  if (copy_data) {
    if (const std::string key = removed_key(*copy_data, cm->data); !key.empty()) {
      auto kept = from_copy(what + " lost its key " + key + ", which the controller refuses");
      if (kept && kept->config_error.empty()) {
        notes.push_back("a restarted controller would apply " + what + " without " + key);
      }
      return kept;
    }
  }
  return used;
}

}  // namespace

Result<LiveConfig> load_live_config(const ExplainOptions& o, kube::ApiClient& client,
                                    std::vector<std::string>& notes) {
  LiveConfig out;
  if (!o.config_file.empty()) {
    auto text = read_text("--config", o.config_file);
    if (!text) return text.status();
    auto parsed = config::parse_policy_config(*text, "--config " + o.config_file);
    if (!parsed) return parsed.status();
    out.config = std::move(*parsed);
    out.config_source = "--config " + o.config_file;
  }
  if (!o.inventory_file.empty()) {
    auto text = read_text("--inventory", o.inventory_file);
    if (!text) return text.status();
    auto machines = daemon::parse_static_inventory(*text);
    if (!machines) return machines.status().annotate("--inventory " + o.inventory_file);
    out.static_machines = std::move(*machines);
    out.static_source = "--inventory " + o.inventory_file;
  }
  if (o.no_config_map) return out;
  const bool deployed = o.config_map.empty();
  return with_config_map(std::move(out), client,
                         deployed ? std::string(kDeployedConfigMap) : o.config_map, deployed,
                         notes);
}

}  // namespace nca::app
