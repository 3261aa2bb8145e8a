#include "daemon/cluster_network_tracker.h"

#include <algorithm>

#include "base/log.h"
#include "inventory/cluster_network.h"
#include "kube/decode.h"
#include "kube/rest_list_watcher.h"

namespace nca::daemon {
namespace {

using namespace std::chrono_literals;

const kube::Resource kServiceCidrs{"networking.k8s.io", "v1", "servicecidrs", false};
const kube::Resource kServices{"", "v1", "services", true};
const kube::Resource kEndpointSlices{"discovery.k8s.io", "v1", "endpointslices", true};
constexpr const char* kApiServerService = "kubernetes";
constexpr const char* kApiServerNamespace = "default";

template <typename Decode>
std::vector<inventory::ClusterRange> ranges_of(const cache::Informer<kube::Unstructured>* inf,
                                               Decode decode) {
  std::vector<inventory::ClusterRange> out;
  if (inf == nullptr) return out;
  auto items = inf->lister().list();
  std::sort(items.begin(), items.end(),
            [](const auto& a, const auto& b) { return a->metadata.name < b->metadata.name; });
  for (const auto& item : items) {
    std::vector<std::string> warnings;
    for (auto& r : decode(item->object, warnings)) out.push_back(std::move(r));
    for (const auto& w : warnings) log::warn("cluster network object entry skipped", {{"why", w}});
  }
  return out;
}

template <typename Decode>
void append(const nlohmann::json& object, Decode decode,
            std::vector<inventory::ClusterRange>& out) {
  std::vector<std::string> warnings;
  for (auto& r : decode(object, warnings)) out.push_back(std::move(r));
}

}  // namespace

Result<inventory::ClusterNetwork> read_cluster_network(kube::ApiClient& client) {
  inventory::ClusterNetwork net;
  auto served =
      client.has_resource(kServiceCidrs.group, kServiceCidrs.version, kServiceCidrs.resource);
  if (!served) return served.status().annotate("API discovery for ServiceCIDRs");
  if (*served) {
    auto page = kube::list_all(client, kServiceCidrs, "", kube::ListOptions{});
    if (!page) return page.status().annotate("ServiceCIDRs");
    for (const auto& item : page->items) {
      append(item, inventory::service_cidr_ranges, net.service_cidrs);
    }
  }
  auto service = client.get(kServices, kApiServerNamespace, kApiServerService);
  if (service) {
    append(*service, inventory::service_cluster_ips, net.kubernetes_service_ips);
  } else if (service.status().code() != Code::kNotFound) {
    return service.status().annotate("Service default/kubernetes");
  }
  auto slice = client.get(kEndpointSlices, kApiServerNamespace, kApiServerService);
  if (slice) {
    append(*slice, inventory::endpoint_slice_addresses, net.apiserver_endpoints);
  } else if (slice.status().code() != Code::kNotFound) {
    return slice.status().annotate("EndpointSlice default/kubernetes");
  }
  return net;
}

ClusterNetworkTracker::ClusterNetworkTracker(std::shared_ptr<kube::RestClient> client,
                                             std::shared_ptr<Clock> clock,
                                             std::function<void()> on_change)
    : client_(std::move(client)), clock_(std::move(clock)), on_change_(std::move(on_change)) {}

ClusterNetworkTracker::~ClusterNetworkTracker() { stop(); }

std::unique_ptr<ClusterNetworkTracker::UInformer> ClusterNetworkTracker::make_informer(
    const kube::Resource& resource, const std::string& ns, const std::string& field_selector) {
  cache::ReflectorOptions opts;
  opts.name = resource.qualified_name() + (ns.empty() ? "" : " " + ns);
  opts.field_selector = field_selector;
  opts.clock = clock_;
  auto informer = std::make_unique<UInformer>(
      std::make_shared<kube::RestListWatcher>(client_, resource, ns),
      [](const nlohmann::json& j) { return kube::decode_unstructured(j); }, opts);
  (void)informer->add_event_handlers({.on_add = [this](const auto&) { changed(); },
                                      .on_update = [this](const auto&, const auto&) { changed(); },
                                      .on_delete = [this](const auto&, bool) { changed(); }});
  return informer;
}

void ClusterNetworkTracker::changed() {
  {
    std::lock_guard lock(mu_);
    ++version_;
  }
  if (on_change_) on_change_();
}

void ClusterNetworkTracker::start() {
  const std::string by_name = std::string("metadata.name=") + kApiServerService;
  service_ = make_informer(kServices, kApiServerNamespace, by_name);
  slices_ = make_informer(kEndpointSlices, kApiServerNamespace, by_name);
  service_->start();
  slices_->start();
  discovery_ = std::jthread([this](std::stop_token st) { discover(st); });
}

void ClusterNetworkTracker::discover(std::stop_token stop) {
  auto backoff = 1s;
  while (!stop.stop_requested()) {
    auto served =
        client_->has_resource(kServiceCidrs.group, kServiceCidrs.version, kServiceCidrs.resource);
    if (served) {
      std::unique_ptr<UInformer> informer;
      if (*served) {
        informer = make_informer(kServiceCidrs, "", "");
        informer->start();
        log::info("watching ServiceCIDRs", {{"api", kServiceCidrs.qualified_name()}});
      } else {
        log::info(
            "ServiceCIDR API not served: service ranges from the kubernetes Service and "
            "clusterNetwork.internalCIDRs only");
      }
      std::lock_guard lock(mu_);
      cidrs_ = std::move(informer);
      discovered_ = true;
      ++version_;
      return;
    }
    log::warn("ServiceCIDR API discovery failed; serving CSRs wait",
              {{"error", served.status().to_string()}});
    clock_->sleep_for(backoff, stop);
    backoff = std::min<std::chrono::seconds>(backoff * 2, 30s);
  }
}

void ClusterNetworkTracker::stop() {
  if (discovery_.joinable()) {
    discovery_.request_stop();
    discovery_.join();
  }
  std::unique_ptr<UInformer> cidrs;
  {
    std::lock_guard lock(mu_);
    cidrs.swap(cidrs_);
  }
  if (cidrs) cidrs->stop();
  if (slices_) slices_->stop();
  if (service_) service_->stop();
}

bool ClusterNetworkTracker::has_synced() const {
  if (!service_ || !service_->has_synced() || !slices_ || !slices_->has_synced()) return false;
  std::lock_guard lock(mu_);
  return discovered_ && (!cidrs_ || cidrs_->has_synced());
}

inventory::ClusterNetwork ClusterNetworkTracker::network() const {
  inventory::ClusterNetwork net;
  {
    std::lock_guard lock(mu_);
    net.service_cidrs = ranges_of(cidrs_.get(), inventory::service_cidr_ranges);
  }
  net.kubernetes_service_ips = ranges_of(service_.get(), inventory::service_cluster_ips);
  net.apiserver_endpoints = ranges_of(slices_.get(), inventory::endpoint_slice_addresses);
  return net;
}

std::shared_ptr<const inventory::Snapshot> ClusterNetworkTracker::attach(
    std::shared_ptr<const inventory::Snapshot> snapshot) {
  std::uint64_t version;
  {
    std::lock_guard lock(mu_);
    if (snapshot == attached_from_ && version_ == attached_version_ && attached_) return attached_;
    version = version_;
  }
  auto copy = std::make_shared<inventory::Snapshot>(*snapshot);
  copy->cluster_network = network();
  std::lock_guard lock(mu_);
  attached_from_ = std::move(snapshot);
  attached_ = std::move(copy);
  attached_version_ = version;
  return attached_;
}

}  // namespace nca::daemon
