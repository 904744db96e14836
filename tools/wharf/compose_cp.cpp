// `wharf compose cp [OPTIONS] SERVICE:SRC_PATH DEST_PATH | SRC_PATH SERVICE:DEST_PATH`:
// docker compose's choice of containers, then the copy of `cp` (container_copy.h). With
// --index N the service's container number N; otherwise from a service its first
// container, to a service every container of it (stopped ones included); --all also counts
// one-off containers.
#include "tools/wharf/compose_session.h"
#include "tools/wharf/container_copy.h"
#include "tools/wharf/cp_paths.h"
#include "tools/wharf/run_options.h"

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        std::string src, dest;
        int index = 0;
        bool all = false, archive = false, follow = false;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_flag("--all", o->all, "Include containers created by the run command (deprecated)");
    cmd.add_flag("-a,--archive", o->archive, "Archive mode (copy all uid/gid information)");
    cmd.add_flag("-L,--follow-link", o->follow, "Always follow symbol link in SRC_PATH");
    cmd.add_option("--index", o->index, "Index of the container if service has multiple replicas");
    cmd.add_option("src", o->src, "SRC_PATH")->required();
    cmd.add_option("dest", o->dest, "DEST_PATH")->required();
    return [o, &ctx] {
        CpSpec src = split_cp_spec(o->src), dest = split_cp_spec(o->dest);
        if (src.container.empty() == dest.container.empty())
            return report(Error(Errc::Invalid, src.container.empty() ? "source or destination must be a service"
                                                                     : "copying between services is not supported"));
        if (src.path == "-" || dest.path == "-")
            return report(Error(Errc::Invalid, "cp: tar streams on stdin/stdout (-) are not supported yet"));
        auto direction = src.container.empty() ? CopyDirection::ToContainer : CopyDirection::FromContainer;
        const std::string& service = src.container.empty() ? dest.container : src.container;
        auto session = open_for_services(ctx, {service});
        if (!session)
            return report(session.error());
        auto records = service_containers(*session, {service}, o->all);
        if (!records)
            return report(records.error());
        std::vector<engine::ContainerRecord> targets;
        if (o->index > 0) {
            for (auto& r : *records)
                if (!compose::is_oneoff(r) && compose::container_number(r) == o->index)
                    targets.push_back(r);
            if (targets.empty())
                return report(Error(Errc::NotFound, "service \"" + service + "\" has no container number " +
                                                        std::to_string(o->index)));
        } else {
            if (records->empty())
                return report(Error(Errc::NotFound, "no container found for service \"" + service + "\""));
            targets = direction == CopyDirection::FromContainer ? std::vector{records->front()} : *records;
        }
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        std::string cpath = container_side_path(src.container.empty() ? dest.path : src.path);
        std::string host = src.container.empty() ? src.path : dest.path;
        CopyOptions options {.archive = o->archive, .follow_link = o->follow};
        for (const auto& r : targets)
            if (auto copied = copy_with_container(eng->store(), r, direction, host, cpath, options); !copied)
                return report(Error(copied.error()).context("copy " + std::string(direction == CopyDirection::ToContainer ? "to" : "from") +
                                                            " container \"" + r.config.name + "\""));
        return 0;
    };
}

VerbRegistration reg{{.parent = "compose", .name = "cp", .aliases = {},
                      .help = "Copy files/folders between a service container and the local filesystem", .setup = setup}};

} // namespace
} // namespace wharf::cli
