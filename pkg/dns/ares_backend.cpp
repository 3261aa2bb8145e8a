#include "dns/ares_backend.h"

#include <ares.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include "policy/names.h"

namespace nca::dns {
namespace {

void init_library() {
  static std::once_flag once;
  std::call_once(once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
}

DnsAnswer failure(int status) {
  DnsAnswer a;
  a.error = ares_strerror(status);
  a.kind = status == ARES_ENOTFOUND || status == ARES_ENODATA || status == ARES_EBADNAME
               ? DnsAnswer::Kind::kNotFound
               : DnsAnswer::Kind::kTransient;
  return a;
}

std::optional<x509::IpAddress> address_of(const sockaddr* sa) {
  std::vector<std::uint8_t> bytes;
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    const auto* b = reinterpret_cast<const std::uint8_t*>(&in->sin_addr);
    bytes.assign(b, b + 4);
  } else if (sa->sa_family == AF_INET6) {
    const auto* in = reinterpret_cast<const sockaddr_in6*>(sa);
    const auto* b = reinterpret_cast<const std::uint8_t*>(&in->sin6_addr);
    bytes.assign(b, b + 16);
  } else {
    return std::nullopt;
  }
  return x509::canonical_ip(bytes);
}

// A query waiting for the loop thread, and then for c-ares.
struct Query {
  bool reverse = false;
  std::string name;
  x509::IpAddress ip;
  DnsBackend::Callback done;
};

}  // namespace

struct AresBackend::Impl {
  ares_channel channel = nullptr;
  int wake[2] = {-1, -1};
  std::mutex mu;
  std::deque<Query> queued;
  std::atomic<bool> stopping{false};
  std::thread loop;

  ~Impl() {
    stopping = true;
    if (wake[1] >= 0) (void)!write(wake[1], "x", 1);
    if (loop.joinable()) loop.join();
    // Answers to queries still open are dropped (their callbacks see stopping).
    if (channel) ares_destroy(channel);
    for (int fd : wake) {
      if (fd >= 0) close(fd);
    }
  }

  void push(Query q) {
    {
      std::lock_guard lock(mu);
      queued.push_back(std::move(q));
    }
    (void)!write(wake[1], "x", 1);
  }

  static void on_addrinfo(void* arg, int status, int, ares_addrinfo* res) {
    std::unique_ptr<Query> q(static_cast<Query*>(arg));
    DnsAnswer a = status == ARES_SUCCESS ? DnsAnswer{} : failure(status);
    if (status == ARES_SUCCESS) {
      a.kind = DnsAnswer::Kind::kFound;
      std::optional<int> ttl;
      for (ares_addrinfo_node* n = res ? res->nodes : nullptr; n; n = n->ai_next) {
        if (auto ip = address_of(n->ai_addr)) {
          if (std::none_of(a.addresses.begin(), a.addresses.end(),
                           [&](const auto& x) { return x.bytes == ip->bytes; })) {
            a.addresses.push_back(*ip);
          }
          ttl = std::min(ttl.value_or(n->ai_ttl), n->ai_ttl);
        }
      }
      for (ares_addrinfo_cname* c = res ? res->cnames : nullptr; c; c = c->next) {
        ttl = std::min(ttl.value_or(c->ttl), c->ttl);
      }
      a.ttl = std::chrono::seconds(std::max(0, ttl.value_or(0)));
      if (a.addresses.empty()) {
        a.kind = DnsAnswer::Kind::kNotFound;
        a.error = "no A or AAAA records";
      }
    }
    if (res) ares_freeaddrinfo(res);
    if (status != ARES_EDESTRUCTION) q->done(std::move(a));
  }

  static void on_hostent(void* arg, int status, int, hostent* h) {
    std::unique_ptr<Query> q(static_cast<Query*>(arg));
    DnsAnswer a = status == ARES_SUCCESS ? DnsAnswer{} : failure(status);
    if (status == ARES_SUCCESS && h) {
      a.kind = DnsAnswer::Kind::kFound;
      if (h->h_name) a.names.push_back(policy::normalize_hostname(h->h_name));
      for (char** alias = h->h_aliases; alias && *alias; ++alias) {
        a.names.push_back(policy::normalize_hostname(*alias));
      }
    }
    if (status != ARES_EDESTRUCTION) q->done(std::move(a));
  }

  void issue(Query q) {
    auto* owned = new Query(std::move(q));  // freed by the callback
    if (owned->reverse) {
      const auto& b = owned->ip.bytes;
      const int family = b.size() == 4 ? AF_INET : AF_INET6;
      ares_gethostbyaddr(channel, b.data(), static_cast<int>(b.size()), family, on_hostent, owned);
      return;
    }
    ares_addrinfo_hints hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_flags = ARES_AI_NOSORT;
    // Fully qualified: a trailing dot keeps c-ares from trying the search domains.
    std::string fqdn = owned->name.ends_with('.') ? owned->name : owned->name + ".";
    ares_getaddrinfo(channel, fqdn.c_str(), nullptr, &hints, on_addrinfo, owned);
  }

  void run() {
    while (!stopping) {
      std::deque<Query> batch;
      {
        std::lock_guard lock(mu);
        batch.swap(queued);
      }
      for (Query& q : batch) issue(std::move(q));

      ares_socket_t socks[ARES_GETSOCK_MAXNUM];
      const int mask = ares_getsock(channel, socks, ARES_GETSOCK_MAXNUM);
      std::vector<pollfd> fds{{wake[0], POLLIN, 0}};
      for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
        short events = 0;
        if (ARES_GETSOCK_READABLE(mask, i)) events |= POLLIN;
        if (ARES_GETSOCK_WRITABLE(mask, i)) events |= POLLOUT;
        if (events) fds.push_back({socks[i], events, 0});
      }
      timeval tv{};
      const timeval* t = ares_timeout(channel, nullptr, &tv);
      const int timeout_ms = t ? static_cast<int>(t->tv_sec * 1000 + t->tv_usec / 1000) + 1 : -1;
      const int n = poll(fds.data(), fds.size(), timeout_ms);
      if (n < 0 && errno != EINTR) break;
      if (fds[0].revents & POLLIN) {
        char buf[64];
        while (read(wake[0], buf, sizeof buf) > 0) {
        }
      }
      bool any = false;
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        any = true;
        const bool r = fds[i].revents & (POLLIN | POLLERR | POLLHUP);
        const bool w = fds[i].revents & POLLOUT;
        ares_process_fd(channel, r ? fds[i].fd : ARES_SOCKET_BAD, w ? fds[i].fd : ARES_SOCKET_BAD);
      }
      if (!any) ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timeouts
    }
  }
};

AresBackend::AresBackend(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AresBackend::~AresBackend() = default;

Result<std::shared_ptr<AresBackend>> AresBackend::create(const policy::DnsConfig& config) {
  init_library();
  auto impl = std::make_unique<Impl>();
  ares_options opts{};
  opts.timeout = static_cast<int>(std::chrono::milliseconds(config.timeout).count());
  opts.tries = config.attempts;
  char lookups[] = "b";  // DNS only, never /etc/hosts
  opts.lookups = lookups;
  const int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_LOOKUPS;
  if (int st = ares_init_options(&impl->channel, &opts, mask); st != ARES_SUCCESS) {
    impl->channel = nullptr;
    return invalid(std::string("cannot set up the DNS resolver: ") + ares_strerror(st));
  }
  if (!config.servers.empty()) {
    std::string csv;
    for (const auto& s : config.servers) csv += (csv.empty() ? "" : ",") + s;
    if (int st = ares_set_servers_ports_csv(impl->channel, csv.c_str()); st != ARES_SUCCESS) {
      return invalid("serving.dns.servers: " + std::string(ares_strerror(st)) + " (" + csv + ")");
    }
  }
  if (pipe2(impl->wake, O_NONBLOCK | O_CLOEXEC) != 0) {
    return invalid(std::string("cannot set up the DNS resolver: ") + std::strerror(errno));
  }
  Impl* raw = impl.get();
  raw->loop = std::thread([raw] { raw->run(); });
  return std::shared_ptr<AresBackend>(new AresBackend(std::move(impl)));
}

void AresBackend::resolve(const std::string& name, Callback done) {
  impl_->push(Query{false, name, {}, std::move(done)});
}

void AresBackend::reverse(const x509::IpAddress& ip, Callback done) {
  impl_->push(Query{true, "", ip, std::move(done)});
}

}  // namespace nca::dns
