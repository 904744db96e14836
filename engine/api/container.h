#pragma once
/// The container model: what a container should be (ContainerConfig, fixed at create) and
/// what it is (ContainerState, updated by the monitor and by stop/kill), kept together in a
/// ContainerRecord stored as <root>/containers/<id>/config.json. Plain values.
///
/// ContainerConfig holds the *resolved* configuration: image defaults (Env, Cmd, Entrypoint,
/// WorkingDir, User, StopSignal, Healthcheck) are merged in at create, as Docker does, so
/// starting a container needs nothing but its record and its image's layer directories.

#include "engine/api/health.h"
#include "engine/api/mount.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wharf::engine {

enum class RestartName { No, Always, OnFailure, UnlessStopped };

struct RestartPolicy {
    RestartName name = RestartName::No;
    int max_retries = 0; ///< on-failure only; 0 = unlimited
    bool operator==(const RestartPolicy&) const = default;
};
/// "no", "always", "on-failure[:N]", "unless-stopped".
Result<RestartPolicy> parse_restart_policy(const std::string& text);
std::string to_string(const RestartPolicy& policy);

struct Resources {
    int64_t memory = 0;      ///< bytes; 0 = unlimited
    int64_t memory_swap = 0; ///< bytes; 0 = default (2 × memory), -1 = unlimited
    int64_t nano_cpus = 0;   ///< --cpus × 1e9
    int64_t cpu_shares = 0;
    int64_t pids_limit = 0;  ///< 0 = unlimited
    bool operator==(const Resources&) const = default;
};

/// One network endpoint the container joins; read by the network layer's hook.
struct NetworkAttachment {
    std::string network;              ///< network name
    std::vector<std::string> aliases; ///< extra DNS names on that network
    std::string ipv4_address;         ///< requested address; "" = allocate
    bool operator==(const NetworkAttachment&) const = default;
};

struct ContainerConfig {
    std::string name;          ///< without the leading '/'
    std::string image;         ///< as the user named it ("localhost/busybox:latest")
    std::string image_id;      ///< "sha256:…" ("" for a --rootfs container)
    std::vector<std::string> layer_dirs; ///< overlay lower dirs, bottom → top
    std::string hostname;      ///< default: first 12 hex digits of the ID
    std::string domainname;
    std::string user;          ///< "uid[:gid]" or "name[:group]"; "" = root
    std::string working_dir;   ///< "" = "/"
    std::vector<std::string> env;        ///< final KEY=VALUE list, in Docker's precedence
    std::vector<std::string> entrypoint;
    std::vector<std::string> cmd;
    std::map<std::string, std::string> labels;
    bool tty = false;
    bool open_stdin = false;
    std::string stop_signal;             ///< "" = SIGTERM
    std::optional<int> stop_timeout;     ///< seconds; unset = 10
    std::optional<HealthConfig> healthcheck;
    RestartPolicy restart;
    bool auto_remove = false;
    bool read_only = false;
    bool privileged = false;
    bool init = false;
    std::vector<std::string> cap_add;
    std::vector<std::string> cap_drop;
    Resources resources;
    std::vector<MountSpec> mounts;
    /// "none" (loopback only), "host", "bridge", or a network name. The network layer decides
    /// what all but "none"/"host" mean.
    std::string network_mode = "none";
    std::vector<NetworkAttachment> networks;
    /// `--volumes-from CONTAINER[:ro|:rw]`: at create, every mount of CONTAINER not covered by
    /// a mount of this container is copied in (same source and target; `:ro` forces
    /// read-only, `:rw` read-write, neither keeps the source's mode). Stored resolved to the
    /// source's ID; the copied mounts are in `mounts` and are not this container's anonymous
    /// volumes (`rm -v` leaves them to their owner).
    std::vector<std::string> volumes_from;
    /// IPC namespace: "" (= "private") or "shareable": its own, which other containers may
    /// join (wharf has no daemon-wide default that would make "private" unjoinable);
    /// "host"; "none" (its own, without /dev/shm); "container:<id>" (the other container's
    /// namespace and /dev/shm; resolved to the ID at create).
    std::string ipc_mode;
    /// PID namespace: "" (own), "host", or "container:<id>" (resolved at create).
    std::string pid_mode;
    std::vector<std::string> publish;    ///< `-p` specs as given ("8080:80", "127.0.0.1::53/udp")
    bool publish_all = false;            ///< `-P`
    std::vector<std::string> exposed_ports; ///< "80/tcp", from the image and --expose
    std::vector<std::string> extra_hosts;   ///< "name:ip"
    std::vector<std::string> dns;
    bool operator==(const ContainerConfig&) const = default;
};

enum class ContainerStatus { Created, Running, Paused, Restarting, Removing, Exited, Dead };
const char* to_string(ContainerStatus status);

struct HealthResult {
    std::string start; ///< RFC3339Nano
    std::string end;
    int exit_code = 0;
    std::string output;
    bool operator==(const HealthResult&) const = default;
};

struct HealthState {
    std::string status; ///< "starting", "healthy", "unhealthy" ("" = no healthcheck)
    int failing_streak = 0;
    std::vector<HealthResult> log; ///< last 5
    bool operator==(const HealthState&) const = default;
};

struct ContainerState {
    ContainerStatus status = ContainerStatus::Created;
    int pid = 0;
    unsigned long long pid_start_time = 0; ///< /proc start time, guards against pid reuse
    int monitor_pid = 0;
    unsigned long long monitor_start_time = 0;
    int exit_code = 0;
    bool oom_killed = false;
    std::string error;
    std::string started_at;  ///< RFC3339Nano; "" = never
    std::string finished_at; ///< RFC3339Nano; "" = never
    bool manually_stopped = false;
    int restart_count = 0;
    HealthState health;
    /// Set by the network hook at each start: address per network, Docker's PORTS entries
    /// ("0.0.0.0:8080->80/tcp").
    std::map<std::string, std::string> network_ips;
    std::vector<std::string> port_mappings;
    bool operator==(const ContainerState&) const = default;
};

struct ContainerRecord {
    std::string id;      ///< 64 hex digits
    std::string created; ///< RFC3339Nano
    ContainerConfig config;
    ContainerState state;
    bool operator==(const ContainerRecord&) const = default;
};

/// The record as stored (and close to `docker inspect`'s shape), and back.
std::string encode_record(const ContainerRecord& record);
Result<ContainerRecord> decode_record(const std::string& text);

} // namespace wharf::engine
