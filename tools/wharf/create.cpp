// `wharf create`: a container record, not started; prints the full ID.
#include "tools/wharf/run_options.h"

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto f = std::make_shared<RunFlags>();
    auto rm = std::make_shared<bool>(false);
    add_run_flags(cmd, *f);
    cmd.add_flag("--rm", *rm, "Automatically remove the container when it exits");
    take_command_line(cmd, f->command);
    return [f, rm, &ctx] {
        auto req = make_create_request(*f, ctx);
        if (!req)
            return report(req.error(), 125);
        req->config.auto_remove = *rm;
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error(), 125);
        auto rec = eng->create(std::move(*req));
        if (!rec)
            return report(rec.error(), 125);
        std::cout << rec->id << "\n";
        return 0;
    };
}

VerbRegistration reg{{.parent = "container", .name = "create", .aliases = {}, .help = "Create a new container", .setup = setup, .usage_exit_code = 125}};
VerbRegistration top{{.parent = "", .name = "create", .aliases = {}, .help = "Create a new container", .setup = setup, .usage_exit_code = 125}};

} // namespace
} // namespace wharf::cli
