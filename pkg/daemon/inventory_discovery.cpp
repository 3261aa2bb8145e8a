// InventoryTracker's discovery half: the CRD watch, the discovery thread and its passes.
// See inventory_tracker.h for the contract (event-driven, fails closed, settles).
#include "base/log.h"
#include "daemon/inventory_tracker.h"

namespace nca::daemon {

void InventoryTracker::start_crd_watch() {
  cache::ReflectorOptions opts;
  opts.name = "customresourcedefinitions";
  opts.clock = clock_;
  crd_watch_ = std::make_unique<cache::Informer<kube::Unstructured>>(
      sources_.list_watcher(crd_resource()),
      [](const nlohmann::json& j) { return decode_crd_brief(j); }, opts);
  (void)crd_watch_->add_event_handlers(
      {.on_add = [this](const auto& crd) { on_crd(*crd, false); },
       .on_update = [this](const auto&, const auto& crd) { on_crd(*crd, false); },
       .on_delete = [this](const auto& crd, bool) { on_crd(*crd, true); }});
  crd_watch_->start();
}

void InventoryTracker::on_crd(const kube::Unstructured& crd, bool deleted) {
  if (!inventory_group_of_crd(crd.metadata.name)) return;
  const bool established = crd.object.is_object() && crd.object.value("established", false);
  {
    std::lock_guard lock(mu_);
    if (deleted) {
      crds_seen_.erase(crd.metadata.name);
    } else {
      crds_seen_[crd.metadata.name] = established;
    }
    ++crd_generation_;
    settled_ = false;  // until a pass after this change: Node addresses are not trusted
    dirty_ = true;
    discovery_requested_ = true;
  }
  log::info("machine inventory CRD changed; discovering",
            {{"crd", crd.metadata.name}, {"established", established}, {"deleted", deleted}});
  discovery_cv_.notify_all();
}

void InventoryTracker::discover() {
  {
    std::lock_guard lock(mu_);
    discovery_requested_ = true;
  }
  discovery_cv_.notify_all();
}

bool InventoryTracker::group_watched_locked(std::size_t group) const {
  const auto groups = known_inventory_apis();  // the range below must outlive the loop
  for (const InventoryApi& api : groups.at(group)) {
    if (crds_.count(api.label)) return true;
  }
  return false;
}

std::string InventoryTracker::discovery_pass(std::stop_token stop) {
  // Which CRDs exist must be known before "not served" can be believed.
  if (!crd_watch_->wait_for_sync(stop)) return "stopped";
  std::vector<std::string> errors;
  std::vector<cache::Informer<InventoryEntry>*> started;
  const auto groups = known_inventory_apis();
  for (std::size_t g = 0; g < groups.size(); ++g) {
    {
      std::lock_guard lock(mu_);
      if (group_watched_locked(g)) continue;
    }
    for (const InventoryApi& api : groups[g]) {
      auto served = sources_.served(api.resource);
      if (!served) {
        // Not "absent": unknown. The group stays unknown and the pass failed.
        errors.push_back(api.label + ": " + served.status().to_string());
        break;
      }
      if (*served) {
        started.push_back(start_crd_informer(api));
        break;
      }
    }
  }
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, established] : crds_seen_) {
      auto g = inventory_group_of_crd(name);
      if (established && g && !group_watched_locked(*g)) {
        errors.push_back("CRD " + name + " is established but its API is not served yet");
      }
    }
  }
  for (auto* informer : started) {
    if (!informer->wait_for_sync(stop)) return "stopped";
  }
  std::string out;
  for (const auto& e : errors) out += (out.empty() ? "" : "; ") + e;
  return out;
}

void InventoryTracker::discovery_loop(std::stop_token stop) {
  Duration backoff = options_.initial_backoff;
  while (!stop.stop_requested()) {
    std::uint64_t generation = 0;
    {
      std::unique_lock lock(mu_);
      discovery_cv_.wait(lock, stop, [&] { return discovery_requested_; });
      if (stop.stop_requested()) return;
      discovery_requested_ = false;
      generation = crd_generation_;
    }
    const std::string error = discovery_pass(stop);
    if (stop.stop_requested()) return;
    bool now_settled = false;
    std::set<std::string> nodes;
    {
      std::lock_guard lock(mu_);
      discovery_error_ = error;
      if (error.empty()) {
        discovered_once_ = true;
        if (generation == crd_generation_ && !settled_) {
          settled_ = true;
          dirty_ = true;
          now_settled = true;
          for (const auto& [_, m] : machines_) nodes.insert(m.node_name);
        }
      }
    }
    if (!error.empty()) {
      const auto retry_ms = std::chrono::duration_cast<std::chrono::milliseconds>(backoff).count();
      log::warn("machine API discovery failed; Node addresses stay untrusted, retrying",
                {{"error", error}, {"retry_in_ms", static_cast<std::int64_t>(retry_ms)}});
      clock_->sleep_for(backoff, stop);
      backoff = std::min(backoff * 2, options_.max_backoff);
      std::lock_guard lock(mu_);
      discovery_requested_ = true;
      continue;
    }
    backoff = options_.initial_backoff;
    if (now_settled) {
      std::string watching;
      for (const auto& api : watched_apis()) watching += (watching.empty() ? "" : ", ") + api;
      log::info("machine API discovery settled", {{"watching", watching}});
      nodes.erase("");
      // CSRs held while unsettled are decided again.
      if (on_change_ && !nodes.empty()) on_change_(nodes);
    }
  }
}

}  // namespace nca::daemon
