// node-csr-approver: approves exactly the legitimate kubelet CSRs.
// Thin main: parses the subcommand and hands over; all logic lives in pkg/.
#include <cstdio>
#include <cstdlib>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "app/explain.h"
#include "daemon/daemon.h"
#include "daemon/run_options.h"

namespace {

int usage(std::FILE* out) {
  std::fputs(
      "usage: node-csr-approver <command> [flags]\n"
      "\n"
      "commands:\n"
      "  run       run the approver controller (run --help)\n"
      "  explain   evaluate one CSR offline and print every check (explain --help)\n"
      "  version   print the version\n",
      out);
  return out == stdout ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage(stderr);
  const std::string_view command = argv[1];
  if (command == "version" || command == "--version") {
    std::printf("node-csr-approver %s\n", NCA_VERSION);
    return 0;
  }
  if (command == "help" || command == "--help" || command == "-h") return usage(stdout);
  if (command == "run") {
#if defined(__GLIBC__)
    // Two malloc arenas, not 8 per core: with one per informer and HTTP thread, the memory
    // a list frees stays spread over arenas, pinned by live chunks, so malloc_trim cannot
    // return it (5,000 Nodes + 5,000 BareMetalHosts + 10,000 CSRs: steady RSS 165 MiB with
    // the default, ~105 MiB with 2; docs/benchmarks.md "Memory at scale"). The daemon
    // allocates little once synced, so arena contention does not matter. MALLOC_ARENA_MAX
    // in the environment still decides when set.
    if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);
#endif
    // Before any thread exists, so that only the daemon's signal thread takes them.
    nca::daemon::block_termination_signals();
    auto options = nca::daemon::parse_run_options(std::vector<std::string>(argv + 2, argv + argc),
                                                  nca::daemon::process_env());
    if (!options.is_ok()) {
      if (options.status().code() == nca::Code::kCancelled) {  // --help
        std::cout << options.status().message();
        return 0;
      }
      std::cerr << "node-csr-approver run: " << options.status().message() << "\n";
      return 2;
    }
    return nca::daemon::run_daemon(*options);
  }
  if (command == "explain") {
    return nca::app::explain_command(std::vector<std::string>(argv + 2, argv + argc), std::cout,
                                     std::cerr);
  }
  std::fprintf(stderr, "node-csr-approver: unknown command \"%s\"\n", argv[1]);
  return usage(stderr);
}
