// Daemon: `node-csr-approver run` — the thin edge of the controller: RunOptions → the
// --config/--inventory files read into ControllerSettings, the Kubernetes client and the
// metrics registry built, then daemon::Controller (daemon/controller.h) runs until
// SIGTERM/SIGINT (or `stop`). One extra thread waits for the signals.
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
