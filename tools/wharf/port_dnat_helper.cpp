#include "tools/wharf/port_dnat_helper.h"

#include "engine/network/network_store.h"
#include "engine/port/dnat_process.h"
#include "engine/port/port_dnat.h"

#include <cstdio>
#include <set>

namespace wharf::cli {

namespace {

using engine::DnatRequest;

Result<void> apply(const DnatRequest& r)
{
    if (r.kind == DnatRequest::Kind::Remove)
        return engine::remove_port_dnat(r.state_root, r.container_id);
    // Rules left by containers of this root whose monitor died (SIGKILL) go first: their
    // address may be the one this container was just given. A container is live while it
    // has an endpoint; this one has its own already.
    std::set<std::string> live;
    auto store = TRY(engine::NetworkStore::open(r.state_root));
    for (const auto& n : TRY(store.list()))
        for (const auto& [id, ep] : n.endpoints)
            live.insert(id);
    (void)engine::sweep_port_dnat(r.state_root, live);
    return engine::install_port_dnat(r.state_root, r.container_id, r.target, r.ports);
}

} // namespace

int run_port_dnat_helper(const std::vector<std::string>& args)
{
    auto request = engine::parse_dnat_request(args);
    auto done = request ? apply(*request) : Result<void>(std::move(request).error());
    if (!done) {
        std::fprintf(stderr, "%s\n", done.error().summary().c_str());
        return 1;
    }
    return 0;
}

} // namespace wharf::cli
