// `wharf exec [-i] [-t] [-d] [-e K=V] [--env-file F] [-w DIR] [-u USER] [--privileged]
// CONTAINER COMMAND [ARG...]`: runs a process in a running container; exits with its code
// (126 when it cannot be run, 127 when it is not found, as Docker).
#include "engine/container/exec.h"
#include "engine/sys/file.h"
#include "engine/sys/mount.h"
#include "engine/sys/process.h"
#include "engine/sys/pty.h"
#include "engine/sys/relay.h"
#include "tools/wharf/run_options.h"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        bool interactive = false, tty = false, detach = false, privileged = false;
        std::vector<std::string> env, env_files, words;
        std::string workdir, user, detach_keys;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_flag("-i,--interactive", o->interactive, "Keep STDIN open even if not attached");
    cmd.add_flag("-t,--tty", o->tty, "Allocate a pseudo-TTY");
    cmd.add_flag("-d,--detach", o->detach, "Detached mode: run command in the background");
    cmd.add_flag("--privileged", o->privileged, "Give extended privileges to the command");
    cmd.add_option("-e,--env", o->env, "Set environment variables")->type_size(1)->allow_extra_args(false);
    cmd.add_option("--env-file", o->env_files, "Read in a file of environment variables")
        ->type_size(1)
        ->allow_extra_args(false);
    cmd.add_option("-w,--workdir", o->workdir, "Working directory inside the container");
    cmd.add_option("-u,--user", o->user, "Username or UID (format: \"<name|uid>[:<group|gid>]\")");
    cmd.add_option("--detach-keys", o->detach_keys,
        "Override the key sequence for detaching a container (not supported)");
    take_command_line(cmd, o->words, 2);
    return [o, &ctx] {
        engine::ExecSpec spec;
        spec.argv.assign(o->words.begin() + 1, o->words.end());
        auto add_env = [&](const std::string& e) {
            if (e.find('=') != std::string::npos)
                spec.env.push_back(e);
            else if (const char* v = std::getenv(e.c_str()))
                spec.env.push_back(e + "=" + v);
        };
        for (const auto& file : o->env_files) {
            auto text = sys::read_file(file);
            if (!text)
                return report(Error(Errc::NotFound, "open " + file + ": no such file or directory"));
            std::istringstream in(*text);
            std::string line;
            while (std::getline(in, line)) {
                auto first = line.find_first_not_of(" \t");
                if (first != std::string::npos && line[first] != '#')
                    add_env(line.substr(first));
            }
        }
        for (const auto& e : o->env)
            add_env(e);
        spec.user = o->user;
        spec.working_dir = o->workdir;
        spec.tty = o->tty && !o->detach;
        spec.privileged = o->privileged;

        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        auto rec = eng->inspect(o->words[0]);
        if (!rec)
            return report(rec.error());
        if (rec->state.status == engine::ContainerStatus::Paused)
            return report(Error(Errc::Conflict, "Container " + rec->id + " is paused, unpause the container before exec"));
        if (rec->state.status != engine::ContainerStatus::Running)
            return report(Error(Errc::Conflict, "container " + rec->id + " is not running"));

        sys::UniqueFd null(::open("/dev/null", O_RDWR | O_CLOEXEC));
        if (!null)
            return report(Error::from_errno("open /dev/null", errno));
        std::optional<sys::Pty> pty;
        if (o->detach) {
            spec.stdin_fd = spec.stdout_fd = spec.stderr_fd = null.get();
        } else if (spec.tty) {
            // The pty comes from the container's own devpts, so its name means something there.
            std::string root_path = "/proc/" + std::to_string(rec->state.pid) + "/root";
            sys::UniqueFd root(::open(root_path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
            if (!root)
                return report(Error::from_errno("exec: open " + root_path, errno));
            auto ptmx = sys::open_in_root(root.get(), "/dev/ptmx", O_RDWR | O_NOCTTY);
            auto p = ptmx ? sys::open_pty(std::move(*ptmx)) : sys::open_pty();
            if (!p)
                return report(p.error().context("exec"));
            pty.emplace(std::move(*p));
            sys::copy_window_size(::isatty(0) ? 0 : 1, pty->master.get());
            spec.stdin_fd = spec.stdout_fd = spec.stderr_fd = pty->slave.get();
        } else {
            spec.stdin_fd = o->interactive ? 0 : null.get();
            spec.stdout_fd = 1;
            spec.stderr_fd = 2;
        }
        std::cout.flush();
        int failure = 126;
        auto child = engine::exec_in_container(eng->store(), *rec, spec, &failure);
        if (!child)
            return report(child.error(), failure);
        if (o->detach) {
            child->release();
            return 0;
        }
        if (pty) {
            pty->slave.reset();
            std::optional<sys::RawTerminal> raw;
            if (o->interactive && ::isatty(0))
                if (auto r = sys::RawTerminal::enable(0))
                    raw.emplace(std::move(*r));
            auto pidfd = sys::pidfd_open(child->pid());
            auto relayed = sys::relay_terminal(
                pty->master.get(), o->interactive ? 0 : -1, 1, pidfd ? pidfd->get() : -1);
            raw.reset();
            if (!relayed)
                report(relayed.error().context("exec"));
        }
        auto code = child->wait();
        if (!code)
            return report(code.error(), 126);
        return *code;
    };
}

VerbRegistration reg {{.parent = "container",
    .name = "exec",
    .aliases = {},
    .help = "Execute a command in a running container",
    .setup = setup,
    .usage_exit_code = 1}};
VerbRegistration top {{.parent = "",
    .name = "exec",
    .aliases = {},
    .help = "Execute a command in a running container",
    .setup = setup,
    .usage_exit_code = 1}};

} // namespace
} // namespace wharf::cli
