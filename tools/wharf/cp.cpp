// `wharf cp CONTAINER:SRC_PATH DEST_PATH` and `wharf cp SRC_PATH CONTAINER:DEST_PATH`
// (the copying itself: container_copy.h; the path rules: cp_paths.h).
#include "tools/wharf/container_copy.h"
#include "tools/wharf/cp_paths.h"
#include "tools/wharf/cp_tar.h"
#include "tools/wharf/human.h"
#include "tools/wharf/run_options.h"

#include <iostream>
#include <memory>
#include <unistd.h>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        std::string src, dest;
        bool archive = false, follow = false, quiet = false;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_flag("-a,--archive", o->archive, "Archive mode (copy all uid/gid information)");
    cmd.add_flag("-L,--follow-link", o->follow, "Always follow symbol link in SRC_PATH");
    cmd.add_flag("-q,--quiet", o->quiet, "Suppress progress output during copy");
    cmd.add_option("src", o->src, "SRC_PATH")->required();
    cmd.add_option("dest", o->dest, "DEST_PATH")->required();
    return [o, &ctx] {
        CpSpec src = split_cp_spec(o->src), dest = split_cp_spec(o->dest);
        if (src.container.empty() == dest.container.empty())
            return report(Error(Errc::Invalid,
                src.container.empty() ? "must specify at least one container source"
                                      : "copying between containers is not supported"));
        const CpSpec& in_container = src.container.empty() ? dest : src;
        std::string cpath = container_side_path(in_container.path);
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        auto rec = eng->inspect(in_container.container);
        if (!rec)
            return report(rec.error());
        CopyOptions options {.archive = o->archive, .follow_link = o->follow};
        // "-": a tar archive on stdout (of SRC) or on stdin (unpacked into the directory DEST).
        if (dest.path == "-" && dest.container.empty()) {
            std::cout.flush();
            auto r = with_container_root(eng->store(), *rec, [&](int root) {
                return write_tar_from_root(root, cpath, STDOUT_FILENO, options.follow_link);
            });
            return r ? 0 : report(r.error());
        }
        if (src.path == "-" && src.container.empty()) {
            auto r = with_container_root(eng->store(), *rec, [&](int root) {
                return extract_tar_into_root(
                    root, cpath, STDIN_FILENO, o->dest, copy_owner(options, CopyDirection::ToContainer));
            });
            if (!r)
                return report(r.error());
            if (!o->quiet)
                std::cerr << "Successfully copied " << human_size(static_cast<double>(*r), 4) << " to "
                          << o->dest << "\n";
            return 0;
        }
        auto copied = copy_with_container(eng->store(), *rec,
            src.container.empty() ? CopyDirection::ToContainer : CopyDirection::FromContainer,
            src.container.empty() ? src.path : dest.path, cpath, options);
        if (!copied)
            return report(copied.error());
        if (!o->quiet)
            std::cerr << "Successfully copied " << human_size(static_cast<double>(*copied), 4) << " to "
                      << o->dest << "\n";
        return 0;
    };
}

VerbRegistration reg {{.parent = "container",
    .name = "cp",
    .aliases = {},
    .help = "Copy files/folders between a container and the local filesystem",
    .setup = setup}};
VerbRegistration top {{.parent = "",
    .name = "cp",
    .aliases = {},
    .help = "Copy files/folders between a container and the local filesystem",
    .setup = setup}};

} // namespace
} // namespace wharf::cli
