// `wharf compose exec [-T] [-e K=V] [-u USER] [-w DIR] [--index N] SERVICE COMMAND [ARG...]`:
// runs a command in a running container of the service; exits with its code.
#include "engine/container/exec.h"
#include "tools/wharf/compose_session.h"
#include "tools/wharf/run_options.h"

#include <unistd.h>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        bool no_tty = false, detach = false, privileged = false;
        int index = 1;
        std::string user, workdir;
        std::vector<std::string> env, words;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_flag("-T,--no-TTY", o->no_tty, "Disable pseudo-TTY allocation");
    cmd.add_flag("-d,--detach", o->detach, "Detached mode: Run command in the background");
    cmd.add_flag("--privileged", o->privileged, "Give extended privileges to the process");
    cmd.add_option("-e,--env", o->env, "Set environment variables")->type_size(1)->allow_extra_args(false);
    cmd.add_option("-u,--user", o->user, "Run the command as this user");
    cmd.add_option("-w,--workdir", o->workdir, "Path to workdir directory for this command");
    cmd.add_option("--index", o->index, "Index of the container if service has multiple replicas");
    take_command_line(cmd, o->words, 2);
    return [o, &ctx] {
        std::string service = o->words.front();
        auto session = open_for_services(ctx, {service});
        if (!session)
            return report(session.error());
        auto records = service_containers(*session, {service});
        if (!records)
            return report(records.error());
        std::vector<engine::ContainerRecord> running;
        for (auto& r : *records)
            if (engine::is_active(r))
                running.push_back(std::move(r));
        if (o->index < 1 || static_cast<size_t>(o->index) > running.size())
            return report(Error(Errc::NotFound, "service \"" + service + "\" is not running"));
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        engine::ExecSpec spec;
        spec.argv.assign(o->words.begin() + 1, o->words.end());
        spec.env = o->env;
        spec.user = o->user;
        spec.working_dir = o->workdir;
        spec.privileged = o->privileged;
        spec.tty = !o->no_tty && ::isatty(0);
        if (!o->detach) {
            spec.stdin_fd = 0;
            spec.stdout_fd = 1;
            spec.stderr_fd = 2;
        }
        int failure_code = 126;
        auto child = engine::exec_in_container(eng->store(), running[static_cast<size_t>(o->index - 1)], spec, &failure_code);
        if (!child)
            return report(child.error(), failure_code);
        if (o->detach) {
            (void)child->release();
            return 0;
        }
        auto code = child->wait();
        if (!code)
            return report(code.error(), 126);
        return *code;
    };
}

VerbRegistration reg{{.parent = "compose", .name = "exec", .aliases = {}, .help = "Execute a command in a running container", .setup = setup}};

} // namespace
} // namespace wharf::cli
