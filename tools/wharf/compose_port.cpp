// `wharf compose port [--index N] [--protocol P] SERVICE PRIVATE_PORT`: the public
// address of a published port ("0.0.0.0:49153"), for test fixtures using ephemeral ports.
#include "tools/wharf/compose_session.h"

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        std::string service, protocol = "tcp";
        int port = 0, index = 1;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_option("--protocol", o->protocol, "tcp or udp");
    cmd.add_option("--index", o->index, "Index of the container if service has multiple replicas");
    cmd.add_option("service", o->service)->required();
    cmd.add_option("private_port", o->port)->required();
    return [o, &ctx] {
        auto session = open_for_services(ctx, {o->service});
        if (!session)
            return report(session.error());
        auto records = service_containers(*session, {o->service});
        if (!records)
            return report(records.error());
        if (o->index < 1 || static_cast<size_t>(o->index) > records->size())
            return report(Error(Errc::NotFound, "service \"" + o->service + "\" is not running container #" +
                                                    std::to_string(o->index)));
        const auto& r = (*records)[static_cast<size_t>(o->index - 1)];
        for (const auto& m : r.state.port_mappings) {
            auto p = engine::parse_port_mapping(m);
            if (p && p->container_port == o->port && engine::to_string(p->proto) == o->protocol) {
                std::cout << engine::join_host_port(p->host_ip, p->host_port) << "\n";
                return 0;
            }
        }
        return report(Error(Errc::NotFound, "no port " + std::to_string(o->port) + "/" + o->protocol +
                                                " for container " + r.config.name));
    };
}

VerbRegistration reg{{.parent = "compose", .name = "port", .aliases = {}, .help = "Print the public port for a port binding", .setup = setup}};

} // namespace
} // namespace wharf::cli
