// `wharf port CONTAINER [PRIVATE_PORT[/PROTO]]`: "80/tcp -> 0.0.0.0:8080", or with a port
// only its host addresses ("0.0.0.0:8080"), as Docker.
#include "engine/api/port.h"
#include "tools/wharf/run_options.h"

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto name = std::make_shared<std::string>();
    auto port = std::make_shared<std::string>();
    cmd.add_option("container", *name, "CONTAINER")->required();
    cmd.add_option("port", *port, "PRIVATE_PORT[/PROTO]");
    return [name, port, &ctx] {
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        auto rec = eng->inspect(*name);
        if (!rec)
            return report(rec.error());
        std::vector<engine::PublishedPort> published;
        if (engine::is_active(*rec))
            for (const auto& m : rec->state.port_mappings)
                if (auto p = engine::parse_port_mapping(m))
                    published.push_back(*p);
        if (port->empty()) {
            std::cout << engine::format_port_lines(published);
            return 0;
        }
        auto wanted = engine::parse_container_ports(*port);
        if (!wanted)
            return report(wanted.error());
        if (wanted->size() != 1)
            return report(Error(Errc::Invalid, "invalid port " + *port + ": a single port is expected"));
        const auto& w = wanted->front();
        std::vector<engine::PublishedPort> matching;
        for (const auto& p : published)
            if (p.container_port == w.port && p.proto == w.proto)
                matching.push_back(p);
        if (matching.empty())
            return report(Error(Errc::NotFound,
                "No public port '" + engine::format_container_port(w) + "' published for " + *name));
        // Same order as the full listing, host side only.
        std::string lines = engine::format_port_lines(matching);
        std::string prefix = engine::format_container_port(w) + " -> ";
        size_t pos = 0;
        while (pos < lines.size()) {
            size_t nl = lines.find('\n', pos);
            std::cout << lines.substr(pos + prefix.size(), nl - pos - prefix.size()) << "\n";
            pos = nl + 1;
        }
        return 0;
    };
}

VerbRegistration reg {{.parent = "container",
    .name = "port",
    .aliases = {},
    .help = "List port mappings or a specific mapping for the container",
    .setup = setup}};
VerbRegistration top {{.parent = "",
    .name = "port",
    .aliases = {},
    .help = "List port mappings or a specific mapping for the container",
    .setup = setup}};

} // namespace
} // namespace wharf::cli
