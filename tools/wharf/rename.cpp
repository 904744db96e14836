// `wharf rename CONTAINER NEW_NAME`.
#include "tools/wharf/network_cli.h"
#include "tools/wharf/run_options.h"

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto name = std::make_shared<std::string>();
    auto new_name = std::make_shared<std::string>();
    cmd.add_option("container", *name, "CONTAINER")->required();
    cmd.add_option("new_name", *new_name, "NEW_NAME")->required();
    return [name, new_name, &ctx] {
        std::string want = !new_name->empty() && new_name->front() == '/' ? new_name->substr(1) : *new_name;
        if (!engine::valid_container_name(want))
            return report(Error(Errc::Invalid,
                "Invalid container name (" + *new_name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"));
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        auto id = eng->resolve(*name);
        if (!id)
            return report(id.error());
        auto lock = eng->store().lock_store();
        if (!lock)
            return report(lock.error());
        std::string old_name;
        for (const auto& r : eng->store().list()) {
            if (r.id == *id)
                old_name = r.config.name;
            else if (r.config.name == want)
                return report(Error(Errc::Conflict,
                    "Conflict. The container name \"/" + want + "\" is already in use by container \"" + r.id
                        + "\". You have to remove (or rename) that container to be able to reuse that "
                          "name."));
        }
        if (old_name == want)
            return report(
                Error(Errc::Invalid, "Renaming a container with the same name as its current name"));
        // The network endpoints first: a failure there leaves the old name everywhere.
        // A stopped container's endpoints are gone; its next start attaches under the new name.
        auto nets = open_network_store(ctx);
        if (!nets)
            return report(nets.error());
        if (auto n = nets->rename_endpoints(*id, want); !n)
            return report(n.error().context("rename " + old_name));
        auto r = eng->store().update(*id, [&](engine::ContainerRecord& rec) { rec.config.name = want; });
        if (!r) {
            (void)nets->rename_endpoints(*id, old_name);
            return report(r.error());
        }
        return 0;
    };
}

VerbRegistration reg {
    {.parent = "container", .name = "rename", .aliases = {}, .help = "Rename a container", .setup = setup}};
VerbRegistration top {
    {.parent = "", .name = "rename", .aliases = {}, .help = "Rename a container", .setup = setup}};

} // namespace
} // namespace wharf::cli
