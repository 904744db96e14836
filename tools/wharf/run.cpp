// `wharf run`: create + start, attached (streams output, exits with the container's code) or
// detached (-d: prints the full ID). Docker's exit codes: 125 for wharf's own errors, 126/127
// when the command cannot be run.
#include "engine/sys/pty.h"
#include "tools/wharf/run_options.h"

#include <iostream>
#include <unistd.h>

namespace wharf::cli {
namespace {

int exit_code_for(const Error& e)
{
    if (e.code() == Errc::NotFound && e.message().find("executable file not found") != std::string::npos)
        return 127;
    if (e.message().find("exec: ") != std::string::npos)
        return e.code() == Errc::Permission ? 126 : 127;
    return 125;
}

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto f = std::make_shared<RunFlags>();
    auto detach = std::make_shared<bool>(false);
    auto rm = std::make_shared<bool>(false);
    auto sig_proxy = std::make_shared<bool>(true);
    add_run_flags(cmd, *f);
    cmd.add_flag("-d,--detach", *detach, "Run container in background and print container ID");
    cmd.add_flag("--rm", *rm, "Automatically remove the container when it exits");
    cmd.add_option("--sig-proxy", *sig_proxy, "Proxy received signals to the process");
    take_command_line(cmd, f->command);
    return [f, detach, rm, &ctx] {
        auto req = make_create_request(*f, ctx);
        if (!req)
            return report(req.error(), 125);
        req->config.auto_remove = *rm;
        if (*rm && req->config.restart.name != engine::RestartName::No)
            return report(Error(Errc::Invalid, "Conflicting options: --restart and --rm"), 125);
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error(), 125);
        auto rec = eng->create(std::move(*req));
        if (!rec)
            return report(rec.error().context("run"), 125);
        if (*detach) {
            auto started = eng->start(rec->id);
            if (!started)
                return report(started.error().context("run"), exit_code_for(started.error()));
            std::cout << rec->id << "\n";
            return 0;
        }
        engine::StartOptions so;
        so.attach = true;
        so.stdin_fd = f->interactive ? 0 : -1;
        so.stdout_fd = 1;
        so.stderr_fd = 2;
        std::optional<sys::RawTerminal> raw;
        if (f->tty && f->interactive && ::isatty(0)) {
            if (auto r = sys::RawTerminal::enable(0))
                raw.emplace(std::move(*r));
        }
        std::cout.flush();
        auto started = eng->start(rec->id, so);
        if (!started) {
            raw.reset();
            return report(started.error().context("run"), exit_code_for(started.error()));
        }
        auto code = eng->wait_attached(rec->id, *started);
        raw.reset();
        if (!code)
            return report(code.error(), 125);
        return *code;
    };
}

VerbRegistration reg{{.parent = "container", .name = "run", .aliases = {}, .help = "Create and run a new container from an image", .setup = setup, .usage_exit_code = 125}};
VerbRegistration top{{.parent = "", .name = "run", .aliases = {}, .help = "Create and run a new container from an image", .setup = setup, .usage_exit_code = 125}};

} // namespace
} // namespace wharf::cli
