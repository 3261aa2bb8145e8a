// informer_bench: measures one informer's initial sync against a live API server: the
// time from start() to has_synced(), and the resident memory the cache holds afterwards.
//
//   informer_bench --kubeconfig PATH --resource nodes|csrs [--page-size N]
//                  [--label-selector SEL]
//
// Prints one JSON line: {"resource", "objects", "sync_seconds", "rss_before_bytes",
// "rss_after_bytes", "rss_delta_bytes", "rss_peak_bytes" (VmHWM), "bytes_per_object",
// "heap_delta_bytes", "heap_bytes_per_object", "lists", "decode_errors"}. The heap figures are
// malloc's bytes in use (mallinfo2), i.e. live objects without fragmentation. RSS is VmRSS from
// /proc/self/status, read after malloc_trim(0) so that freed list buffers (the JSON pages) are not
// counted. "Before" is taken after the client exists, so the delta is what the informer keeps plus
// its fixed costs (the reflector thread and its malloc arena, the HTTP client's threads and TLS
// state); a run with a selector that matches nothing measures those, and the script subtracts them.
// Single-threaded apart from the informer.
#include <malloc.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>
#include <thread>

#include "base/clock.h"
#include "cache/informer.h"
#include "kube/decode.h"
#include "kube/kubeconfig.h"
#include "kube/rest_list_watcher.h"

namespace {

using namespace nca;

// A /proc/self/status field in bytes ("VmRSS", "VmHWM"); -1 when unreadable.
std::int64_t proc_status_bytes(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      return std::stoll(line.substr(field.size() + 1)) * 1024;  // kB
    }
  }
  return -1;
}

// VmRSS in bytes, after giving freed heap back to the kernel.
std::int64_t rss_bytes() {
  malloc_trim(0);
  return proc_status_bytes("VmRSS");
}

// Bytes the allocator has handed out and not had back (all arenas): the live heap,
// without the fragmentation that RSS also counts.
std::int64_t heap_in_use_bytes() { return static_cast<std::int64_t>(mallinfo2().uordblks); }

template <typename T>
int run(std::shared_ptr<kube::RestClient> client, kube::Resource resource,
        typename cache::Informer<T>::Decoder decoder, const std::string& name,
        std::int64_t page_size, const std::string& label_selector) {
  cache::ReflectorOptions options;
  options.name = name;
  options.page_size = page_size;
  options.label_selector = label_selector;
  auto lw = std::make_shared<kube::RestListWatcher>(client, std::move(resource));

  const std::int64_t before = rss_bytes();
  const std::int64_t heap_before = heap_in_use_bytes();
  cache::Informer<T> informer(lw, std::move(decoder), options);
  const auto start = std::chrono::steady_clock::now();
  informer.start();
  std::stop_source timeout;
  std::jthread deadline([&](std::stop_token st) {
    std::mutex mu;
    std::condition_variable_any cv;
    std::unique_lock lock(mu);
    cv.wait_for(lock, st, std::chrono::minutes(10), [] { return false; });
    if (!st.stop_requested()) timeout.request_stop();
  });
  const bool synced = informer.wait_for_sync(timeout.get_token());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!synced) {
    std::cerr << "informer_bench: " << name << " did not sync within 10 minutes\n";
    return 1;
  }
  // has_synced turns true inside the reflector's hand-over of the list, while the list's
  // JSON is still alive; memory is read once that call has returned (the list counted).
  while (informer.stats().lists == 0 && !timeout.get_token().stop_requested()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  deadline.request_stop();
  deadline.join();
  const std::int64_t peak = proc_status_bytes("VmHWM");
  const std::int64_t after = rss_bytes();
  const std::int64_t heap_after = heap_in_use_bytes();
  const std::size_t objects = informer.lister().size();
  const auto stats = informer.stats();
  nlohmann::json out = {
      {"resource", name},
      {"objects", objects},
      {"page_size", page_size},
      {"label_selector", label_selector},
      {"sync_seconds", seconds},
      {"rss_before_bytes", before},
      {"rss_after_bytes", after},
      {"rss_delta_bytes", after - before},
      {"rss_peak_bytes", peak},
      {"bytes_per_object", objects == 0 ? 0.0 : double(after - before) / double(objects)},
      {"heap_delta_bytes", heap_after - heap_before},
      {"heap_bytes_per_object",
       objects == 0 ? 0.0 : double(heap_after - heap_before) / double(objects)},
      {"lists", stats.lists},
      {"decode_errors", stats.decode_errors},
  };
  std::cout << out.dump() << std::endl;
  informer.stop();
  return 0;
}

int usage() {
  std::cerr << "usage: informer_bench --kubeconfig PATH --resource nodes|csrs [--page-size N]"
               " [--label-selector SEL]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string kubeconfig;
  std::string resource;
  std::int64_t page_size = 500;
  std::string label_selector;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc) return usage();
    if (arg == "--kubeconfig") {
      kubeconfig = argv[++i];
    } else if (arg == "--resource") {
      resource = argv[++i];
    } else if (arg == "--label-selector") {
      label_selector = argv[++i];
    } else if (arg == "--page-size") {
      page_size = std::stoll(argv[++i]);
    } else {
      return usage();
    }
  }
  if (kubeconfig.empty() || (resource != "nodes" && resource != "csrs")) return usage();

  auto cfg = kube::load_kubeconfig(kubeconfig);
  if (!cfg) {
    std::cerr << "informer_bench: kubeconfig: " << cfg.status().to_string() << "\n";
    return 1;
  }
  cfg->qps = 1000;
  cfg->burst = 1000;
  cfg->user_agent = "nca-informer-bench";
  auto client = kube::RestClient::create(std::move(cfg).value(), real_clock());
  if (!client) {
    std::cerr << "informer_bench: client: " << client.status().to_string() << "\n";
    return 1;
  }
  if (resource == "nodes") {
    return run<kube::Node>(client.value(), kube::resources::nodes(), kube::decode_node, resource,
                           page_size, label_selector);
  }
  return run<kube::CertificateSigningRequest>(client.value(), kube::resources::csrs(),
                                              kube::decode_csr, resource, page_size,
                                              label_selector);
}
