#pragma once
/// The flags `run` and `create` share (Docker's container options), and their translation
/// into an engine::CreateRequest, including the image lookup.

#include "engine/container/container_engine.h"
#include "tools/wharf/verb.h"

#include <memory>

namespace wharf::cli {

struct RunFlags {
    std::vector<std::string> command; ///< IMAGE [COMMAND] [ARG...]
    std::string ip; ///< --ip, on the first network
    std::string name, workdir, user, entrypoint, hostname, domainname, restart = "no";
    bool entrypoint_set = false;
    std::vector<std::string> env, env_files, labels, volumes, mounts, tmpfs, cap_add, cap_drop;
    std::vector<std::string> publish, expose, networks, network_aliases, add_hosts, dns;
    std::vector<std::string> volumes_from; ///< --volumes-from CONTAINER[:ro|:rw]
    std::string ipc, pid;                 ///< --ipc, --pid
    bool interactive = false, tty = false, read_only = false, privileged = false, init = false;
    bool publish_all = false, no_healthcheck = false;
    std::string memory, memory_swap, cpus, pids_limit, cpu_shares;
    std::string health_cmd, health_interval, health_timeout, health_start_period, health_start_interval;
    int health_retries = 0;
    std::string stop_signal;
    std::optional<int> stop_timeout;
    std::string rootfs_mode_marker;
    bool rootfs = false;
    std::string pull = "missing";
};

/// Declares the shared flags on `cmd` (also takes over -h for --hostname, as Docker).
void add_run_flags(CLI::App& cmd, RunFlags& f);

/// Builds the request: parses sizes, mounts, durations; resolves IMAGE (or, with --rootfs,
/// uses it as the root filesystem directory).
Result<engine::CreateRequest> make_create_request(const RunFlags& f, const Context& ctx);

/// Opens the engine at the CLI's root.
Result<engine::ContainerEngine> open_engine(const Context& ctx);

/// Docker's RAMInBytes: "512m", "1g", "6MB", "1024".
Result<int64_t> parse_bytes(const std::string& text);

} // namespace wharf::cli
