// wharf-monitor ROOT ID: a container's monitor (engine/monitor/monitor.h), started by the
// engine beside the `wharf` binary. It is its own small executable so each container's
// monitor maps only what it runs: no registry, archive, compose or CLI code.
// Descriptors come from the starter in _WHARF_MONITOR_FDS: "status,stdin,stdout,stderr",
// -1 for none. The network layer is plugged in here.
#include "engine/monitor/monitor.h"
#include "engine/network/bridge_hook.h"

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: wharf-monitor ROOT ID (started by wharf, not by hand)\n");
        return 2;
    }
    wharf::engine::MonitorOptions o;
    o.root = argv[1];
    o.id = argv[2];
    if (const char* fds = std::getenv("_WHARF_MONITOR_FDS")) {
        int v[4] = {-1, -1, -1, -1};
        std::sscanf(fds, "%d,%d,%d,%d", &v[0], &v[1], &v[2], &v[3]);
        o.status_fd = v[0];
        o.attach_stdin = v[1];
        o.attach_stdout = v[2];
        o.attach_stderr = v[3];
        ::unsetenv("_WHARF_MONITOR_FDS");
    }
    // Containers join their bridge networks, ports and DNS through the network layer.
    wharf::engine::install_bridge_network_hook();
    return wharf::engine::run_monitor(o);
}
