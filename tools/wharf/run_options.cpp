#include "tools/wharf/run_options.h"

#include "engine/container/clock.h"
#include "engine/sys/file.h"
#include "tools/wharf/registry_cli.h"

#include <iostream>

#include <cmath>
#include <cstdlib>
#include <limits.h>
#include <sstream>
#include <unistd.h>

namespace wharf::cli {

void add_run_flags(CLI::App& cmd, RunFlags& f)
{
    auto multi = [&](const char* name, std::vector<std::string>& v, const char* help) {
        cmd.add_option(name, v, help)->type_size(1)->allow_extra_args(false);
    };
    cmd.set_help_flag("--help", "Print usage");
    cmd.add_option("--name", f.name, "Assign a name to the container");
    multi("-e,--env", f.env, "Set environment variables");
    multi("--env-file", f.env_files, "Read in a file of environment variables");
    multi("-l,--label", f.labels, "Set meta data on a container");
    multi("-v,--volume", f.volumes, "Bind mount a volume");
    multi("--mount", f.mounts, "Attach a filesystem mount to the container");
    multi("--tmpfs", f.tmpfs, "Mount a tmpfs directory");
    multi("--volumes-from", f.volumes_from, "Mount volumes from the specified container(s)");
    cmd.add_option("--ipc", f.ipc, "IPC mode to use");
    cmd.add_option("--pid", f.pid, "PID namespace to use");
    multi("--cap-add", f.cap_add, "Add Linux capabilities");
    multi("--cap-drop", f.cap_drop, "Drop Linux capabilities");
    multi("-p,--publish", f.publish, "Publish a container's port(s) to the host");
    multi("--expose", f.expose, "Expose a port or a range of ports");
    multi("--network,--net", f.networks, "Connect a container to a network");
    multi("--network-alias,--net-alias", f.network_aliases, "Add network-scoped alias for the container");
    cmd.add_option("--ip", f.ip, "IPv4 address (e.g., 172.30.100.104)");
    multi("--add-host", f.add_hosts, "Add a custom host-to-IP mapping (host:ip)");
    multi("--dns", f.dns, "Set custom DNS servers");
    cmd.add_option("-w,--workdir", f.workdir, "Working directory inside the container");
    cmd.add_option("-u,--user", f.user, "Username or UID (format: <name|uid>[:<group|gid>])");
    cmd.add_option("--entrypoint", f.entrypoint, "Overwrite the default ENTRYPOINT of the image")
        ->each([&f](const std::string&) { f.entrypoint_set = true; });
    cmd.add_option("-h,--hostname", f.hostname, "Container host name");
    cmd.add_option("--domainname", f.domainname, "Container NIS domain name");
    cmd.add_flag("-i,--interactive", f.interactive, "Keep STDIN open even if not attached");
    cmd.add_flag("-t,--tty", f.tty, "Allocate a pseudo-TTY");
    cmd.add_option("--restart", f.restart, "Restart policy to apply when a container exits");
    cmd.add_option("-m,--memory", f.memory, "Memory limit");
    cmd.add_option("--memory-swap", f.memory_swap, "Swap limit equal to memory plus swap: '-1' to enable unlimited swap");
    cmd.add_option("--cpus", f.cpus, "Number of CPUs");
    cmd.add_option("-c,--cpu-shares", f.cpu_shares, "CPU shares (relative weight)");
    cmd.add_option("--pids-limit", f.pids_limit, "Tune container pids limit (set -1 for unlimited)");
    cmd.add_flag("--read-only", f.read_only, "Mount the container's root filesystem as read only");
    cmd.add_flag("--privileged", f.privileged, "Give extended privileges to this container");
    cmd.add_flag("--init", f.init, "Run an init inside the container that forwards signals and reaps processes");
    cmd.add_flag("-P,--publish-all", f.publish_all, "Publish all exposed ports to random ports");
    cmd.add_option("--health-cmd", f.health_cmd, "Command to run to check health");
    cmd.add_option("--health-interval", f.health_interval, "Time between running the check (ms|s|m|h)");
    cmd.add_option("--health-timeout", f.health_timeout, "Maximum time to allow one check to run (ms|s|m|h)");
    cmd.add_option("--health-start-period", f.health_start_period, "Start period for the container to initialize");
    cmd.add_option("--health-start-interval", f.health_start_interval, "Time between running the check during the start period");
    cmd.add_option("--health-retries", f.health_retries, "Consecutive failures needed to report unhealthy");
    cmd.add_flag("--no-healthcheck", f.no_healthcheck, "Disable any container-specified HEALTHCHECK");
    cmd.add_option("--stop-signal", f.stop_signal, "Signal to stop the container");
    cmd.add_option("--stop-timeout", f.stop_timeout, "Timeout (in seconds) to stop a container");
    cmd.add_flag("--rootfs", f.rootfs, "The first argument is not an image but the rootfs to the exploded container");
    cmd.add_option("--pull", f.pull, "Pull image before running (\"always\", \"missing\", \"never\")");
}

Result<int64_t> parse_bytes(const std::string& text)
{
    std::string s = text;
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    std::string unit = end ? std::string(end) : "";
    if (end == s.c_str() || v < 0)
        return Error(Errc::Invalid, "invalid size: '" + text + "'");
    if (!unit.empty() && unit.back() == 'b')
        unit.pop_back();
    if (!unit.empty() && unit.back() == 'i')
        unit.pop_back();
    double mult = 1;
    if (unit.empty()) mult = 1;
    else if (unit == "k") mult = 1024.0;
    else if (unit == "m") mult = 1024.0 * 1024;
    else if (unit == "g") mult = 1024.0 * 1024 * 1024;
    else if (unit == "t") mult = 1024.0 * 1024 * 1024 * 1024;
    else return Error(Errc::Invalid, "invalid size: '" + text + "'");
    return static_cast<int64_t>(v * mult);
}

Result<engine::ContainerEngine> open_engine(const Context& ctx)
{
    engine::EngineOptions o;
    o.root = ctx.global.root;
    return engine::ContainerEngine::open(o);
}

namespace {
std::string cwd()
{
    char buf[PATH_MAX];
    return ::getcwd(buf, sizeof buf) ? std::string(buf) : std::string("/");
}

Result<int64_t> duration_flag(const std::string& flag, const std::string& value)
{
    if (value.empty())
        return int64_t{0};
    auto d = engine::parse_go_duration(value);
    if (!d)
        return Error(Errc::Invalid, "invalid argument \"" + value + "\" for \"" + flag + "\" flag: time: invalid duration \"" + value + "\"");
    return *d;
}

// Docker's --pull: "missing" pulls an image the store lacks (saying so on stderr first),
// "always" pulls every time, "never" leaves the lookup to create (which then fails with
// "Unable to find image … locally").
Result<void> apply_pull_policy(const RunFlags& f, const Context& ctx, const std::string& name)
{
    if (f.pull != "missing" && f.pull != "always" && f.pull != "never")
        return Error(Errc::Invalid, "invalid pull option: '" + f.pull + "': must be one of \"always\", \"missing\" or \"never\"");
    if (f.pull == "never")
        return ok();
    auto store = TRY(engine::ImageStore::open(ctx.global.root));
    if (f.pull == "missing") {
        auto found = store.resolve(name);
        if (found || found.error().code() != Errc::NotFound)
            return ok();
        if (engine::is_image_id(name))
            return ok(); // an image ID is never pulled; create reports it missing
    }
    auto ref = TRY(engine::ImageReference::parse(name));
    if (f.pull == "missing")
        std::cerr << "Unable to find image '" << ref.familiar() << "' locally\n";
    TRY(pull_with_progress(store, ref, std::cerr, ::isatty(2), false));
    return ok();
}

// With --rootfs, IMAGE is a directory used as the root filesystem; otherwise the engine
// looks the image up in its store at create.
Result<void> resolve_image(const RunFlags& f, const std::string& ref, engine::CreateRequest& req)
{
    if (f.rootfs) {
        std::string path = ref[0] == '/' ? ref : cwd() + "/" + ref;
        if (!sys::exists(path))
            return Error(Errc::NotFound, "rootfs " + path + ": No such file or directory");
        req.config.image = path;
        req.config.layer_dirs = {path};
        return ok();
    }
    req.config.image = ref;
    return ok();
}
} // namespace

Result<engine::CreateRequest> make_create_request(const RunFlags& f, const Context& ctx)
{
    engine::CreateRequest req;
    auto& c = req.config;
    if (f.command.empty())
        return Error(Errc::Invalid, "requires at least 1 argument");
    c.name = f.name;
    c.cmd.assign(f.command.begin() + 1, f.command.end());
    if (f.entrypoint_set) {
        req.entrypoint_set = true;
        c.entrypoint = {f.entrypoint};
    }
    c.hostname = f.hostname;
    c.domainname = f.domainname;
    c.user = f.user;
    c.working_dir = f.workdir;
    if (!c.working_dir.empty() && c.working_dir[0] != '/')
        return Error(Errc::Invalid, "the working directory '" + c.working_dir + "' is invalid, it needs to be an absolute path");
    c.tty = f.tty;
    c.open_stdin = f.interactive;
    c.read_only = f.read_only;
    c.privileged = f.privileged;
    c.init = f.init;
    c.cap_add = f.cap_add;
    c.cap_drop = f.cap_drop;
    c.stop_signal = f.stop_signal;
    c.stop_timeout = f.stop_timeout;
    c.restart = TRY(engine::parse_restart_policy(f.restart));
    for (const auto& l : f.labels) {
        auto eq = l.find('=');
        c.labels[l.substr(0, eq)] = eq == std::string::npos ? "" : l.substr(eq + 1);
    }
    // Environment: --env-file lines, then -e; a bare KEY takes the CLI's own value.
    auto add_env = [&](const std::string& e) {
        if (e.find('=') != std::string::npos) {
            req.user_env.push_back(e);
        } else if (const char* v = std::getenv(e.c_str())) {
            req.user_env.push_back(e + "=" + v);
        }
    };
    for (const auto& file : f.env_files) {
        auto text = sys::read_file(file);
        if (!text)
            return Error(Errc::NotFound, "open " + file + ": no such file or directory");
        std::istringstream in(*text);
        std::string line;
        while (std::getline(in, line)) {
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            auto first = line.find_first_not_of(" \t");
            if (first == std::string::npos || line[first] == '#')
                continue;
            add_env(line.substr(first));
        }
    }
    for (const auto& e : f.env)
        add_env(e);
    if (!f.memory.empty())
        c.resources.memory = TRY(parse_bytes(f.memory));
    if (!f.memory_swap.empty())
        c.resources.memory_swap = f.memory_swap == "-1" ? -1 : TRY(parse_bytes(f.memory_swap));
    if (!f.cpus.empty()) {
        char* end = nullptr;
        double cpus = std::strtod(f.cpus.c_str(), &end);
        if (*end || cpus < 0)
            return Error(Errc::Invalid, "invalid argument \"" + f.cpus + "\" for \"--cpus\" flag: failed to parse " + f.cpus + " as a rational number");
        c.resources.nano_cpus = static_cast<int64_t>(std::llround(cpus * 1e9));
    }
    if (!f.cpu_shares.empty())
        c.resources.cpu_shares = std::atoll(f.cpu_shares.c_str());
    if (!f.pids_limit.empty())
        c.resources.pids_limit = std::max<int64_t>(0, std::atoll(f.pids_limit.c_str()));
    std::string here = cwd();
    for (const auto& v : f.volumes)
        c.mounts.push_back(TRY(engine::parse_volume_flag(v, here)));
    for (const auto& m : f.mounts)
        c.mounts.push_back(TRY(engine::parse_mount_flag(m, here)));
    for (const auto& t : f.tmpfs)
        c.mounts.push_back(TRY(engine::parse_tmpfs_flag(t)));
    c.volumes_from = f.volumes_from;
    c.ipc_mode = f.ipc;
    c.pid_mode = f.pid;
    for (size_t i = 0; i < c.mounts.size(); ++i)
        for (size_t j = 0; j < i; ++j)
            if (c.mounts[i].target == c.mounts[j].target)
                return Error(Errc::Invalid, "Duplicate mount point: " + c.mounts[i].target);
    if (!f.health_cmd.empty() || !f.health_interval.empty() || !f.health_timeout.empty() ||
        !f.health_start_period.empty() || !f.health_start_interval.empty() || f.health_retries) {
        engine::HealthConfig h;
        if (!f.health_cmd.empty())
            h.test = {"CMD-SHELL", f.health_cmd};
        h.interval_ns = TRY(duration_flag("--health-interval", f.health_interval));
        h.timeout_ns = TRY(duration_flag("--health-timeout", f.health_timeout));
        h.start_period_ns = TRY(duration_flag("--health-start-period", f.health_start_period));
        h.start_interval_ns = TRY(duration_flag("--health-start-interval", f.health_start_interval));
        h.retries = f.health_retries;
        c.healthcheck = h;
    }
    req.no_healthcheck = f.no_healthcheck;
    c.publish = f.publish;
    c.publish_all = f.publish_all;
    for (const auto& e : f.expose)
        c.exposed_ports.push_back(e.find('/') == std::string::npos ? e + "/tcp" : e);
    c.extra_hosts = f.add_hosts;
    c.dns = f.dns;
    if (f.networks.empty()) {
        c.network_mode = "bridge"; // Docker's default; loopback only until a network hook is installed
    } else {
        c.network_mode = f.networks[0];
        if (c.network_mode != "none" && c.network_mode != "host" && !c.network_mode.starts_with("container:"))
            for (const auto& n : f.networks)
                c.networks.push_back({n, f.network_aliases, ""});
    }
    if (!f.ip.empty()) {
        if (c.networks.empty() || c.networks[0].network == "bridge")
            return Error(Errc::Invalid, "user specified IP address is supported on user defined networks only");
        c.networks[0].ipv4_address = f.ip;
    }
    if (!f.rootfs)
        TRY(apply_pull_policy(f, ctx, f.command[0]));
    TRY(resolve_image(f, f.command[0], req));
    return req;
}

} // namespace wharf::cli
