// `wharf __monitor ID`: the hidden mode the engine starts a container's monitor in
// (engine/monitor/monitor.h). Descriptors come from the starter in _WHARF_MONITOR_FDS:
// "status,stdin,stdout,stderr", -1 for none. The network layer is plugged in here.
#include "engine/monitor/monitor.h"
#include "engine/network/bridge_hook.h"
#include "tools/wharf/verb.h"

#include <cstdlib>
#include <sstream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    cmd.group("");
    auto id = std::make_shared<std::string>();
    cmd.add_option("id", *id)->required();
    return [id, &ctx] {
        engine::MonitorOptions o;
        o.root = ctx.global.root;
        o.id = *id;
        if (const char* fds = std::getenv("_WHARF_MONITOR_FDS")) {
            int v[4] = {-1, -1, -1, -1};
            std::stringstream in(fds);
            std::string part;
            for (int i = 0; i < 4 && std::getline(in, part, ','); ++i)
                v[i] = std::atoi(part.c_str());
            o.status_fd = v[0];
            o.attach_stdin = v[1];
            o.attach_stdout = v[2];
            o.attach_stderr = v[3];
            ::unsetenv("_WHARF_MONITOR_FDS");
        }
        // Containers join their bridge networks, ports and DNS through the network layer.
        engine::install_bridge_network_hook();
        return engine::run_monitor(o);
    };
}

VerbRegistration reg{{.parent = "", .name = "__monitor", .aliases = {}, .help = "", .setup = setup}};

} // namespace
} // namespace wharf::cli
