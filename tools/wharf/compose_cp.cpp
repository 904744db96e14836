// `wharf compose cp [OPTIONS] SERVICE:SRC_PATH DEST_PATH|- | SRC_PATH|- SERVICE:DEST_PATH`:
// docker compose's choice of containers, then the copy of `cp` (container_copy.h; "-", a tar
// stream on stdout or stdin: cp_tar.h). With
// --index N the service's container number N; otherwise from a service its first
// container, to a service every container of it (stopped ones included); --all also counts
// one-off containers.
#include "tools/wharf/compose_session.h"
#include "tools/wharf/container_copy.h"
#include "tools/wharf/cp_paths.h"
#include "tools/wharf/cp_tar.h"
#include "tools/wharf/run_options.h"

#include "engine/sys/file.h"

#include <cerrno>
#include <fcntl.h>
#include <iostream>
#include <optional>
#include <unistd.h>

namespace wharf::cli {
namespace {

/// `compose cp SERVICE:SRC -`: SRC of the service's container as a tar on stdout (cp_tar.h).
Result<void> tar_to_stdout(const engine::ContainerStore& store, const engine::ContainerRecord& record,
                           const std::string& src, const CopyOptions& options)
{
    std::cout.flush();
    TRY_CTX(with_container_root(store, record,
                                [&](int root) { return write_tar_from_root(root, src, STDOUT_FILENO, options.follow_link); }),
            "copy from container \"" + record.config.name + "\"");
    return ok();
}

/// `compose cp - SERVICE:DIR`: the tar on stdin unpacked into DIR of every target container.
/// With several, stdin is read once into a scratch file that each of them reads from the start.
Result<void> tar_from_stdin(const engine::ContainerStore& store, const std::vector<engine::ContainerRecord>& targets,
                            const std::string& dest, const std::string& shown_dest, const CopyOptions& options)
{
    std::optional<sys::TempDir> scratch;
    std::string archive;
    if (targets.size() > 1) {
        scratch.emplace(TRY(sys::TempDir::create("wharf-compose-cp")));
        archive = scratch->path() + "/stdin.tar";
        TRY(sys::write_file_atomic(archive, TRY(sys::read_file("/dev/stdin")), 0600, sys::Durability::Relaxed));
    }
    for (const auto& r : targets) {
        sys::UniqueFd in(::open(archive.empty() ? "/dev/stdin" : archive.c_str(), O_RDONLY | O_CLOEXEC));
        if (!in)
            return Error::from_errno("open " + (archive.empty() ? std::string("stdin") : archive), errno);
        TRY_CTX(with_container_root(store, r,
                                    [&](int root) {
                                        return extract_tar_into_root(root, dest, in.get(), shown_dest,
                                                                     copy_owner(options, CopyDirection::ToContainer));
                                    }),
                "copy to container \"" + r.config.name + "\"");
    }
    return ok();
}

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
        if (host == "-") {
            auto streamed = direction == CopyDirection::FromContainer
                                ? tar_to_stdout(eng->store(), targets.front(), cpath, options)
                                : tar_from_stdin(eng->store(), targets, cpath, o->dest, options);
            return streamed ? 0 : report(streamed.error());
        }
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
