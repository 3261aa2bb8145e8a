// Daemon: `node-csr-approver run` — wires the informers (CSRs, Nodes, machine APIs, the
// config ConfigMap), the work queue, the reconciler, leader election and the HTTP
// endpoints, runs until SIGTERM/SIGINT (or stop()), then shuts down in order: stop taking
// work, release the lease, drain workers, stop watches.
//
// Threads: one per informer, `workers` reconcile workers, one leader-election thread, one
// housekeeping thread (resync, discovery, gauges), two HTTP server threads.
#pragma once

#include <memory>
#include <stop_token>

#include "base/status.h"
#include "daemon/run_options.h"

namespace nca::daemon {

// Blocks SIGTERM and SIGINT in the calling thread (call first in main, before any thread
// starts) so that run_daemon can wait for them.
void block_termination_signals();

// Runs until a termination signal or `stop`. Returns the process exit code: 0 after a clean
// shutdown, 1 when start-up failed (the reason is logged and printed).
int run_daemon(const RunOptions& options, std::stop_token stop = {});

}  // namespace nca::daemon
