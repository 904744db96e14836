#pragma once
/// ServiceConfig: one service of a Compose project, canonical and typed. Field names are
/// compose-go's (`types.ServiceConfig`) and the YAML/JSON keys `compose config` prints.
/// Short syntax never appears here: the loader has already expanded it. `std::optional`
/// means "not set in any file" (so defaults of the engine or image apply); std::map keeps
/// every keyed collection in a deterministic order.
///
/// Plain values; thread-compatible.

#include "compose/model/port.h"
#include "compose/model/types.h"
#include "compose/model/value.h"
#include "compose/model/volume.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wharf::compose {

/// `depends_on.<svc>.condition`.
enum class ServiceCondition { Started, Healthy, CompletedSuccessfully };
/// "service_started", "service_healthy", "service_completed_successfully".
const char* to_string(ServiceCondition c);
std::optional<ServiceCondition> parse_service_condition(const std::string& s);

struct ServiceDependency {
    ServiceCondition condition = ServiceCondition::Started;
    bool restart = false;  ///< restart this service when the dependency is restarted/recreated
    bool required = true;  ///< false: a missing/disabled dependency is ignored
    Extensions extensions;
    bool operator==(const ServiceDependency&) const = default;
};

struct HealthCheckConfig {
    /// ["CMD", args…], ["CMD-SHELL", "cmd"] or ["NONE"]; a string test becomes CMD-SHELL.
    /// Unset = inherit the image's test.
    std::optional<std::vector<std::string>> test;
    std::optional<Duration> interval;
    std::optional<Duration> timeout;
    std::optional<Duration> start_period;
    std::optional<Duration> start_interval;
    std::optional<uint64_t> retries;
    bool disable = false;
    Extensions extensions;
    bool operator==(const HealthCheckConfig&) const = default;
};

struct UlimitsConfig {
    std::optional<int64_t> single; ///< `nofile: 1024` (soft = hard)
    int64_t soft = 0;
    int64_t hard = 0;
    bool operator==(const UlimitsConfig&) const = default;
};

struct LoggingConfig {
    std::string driver;
    Mapping options;
    bool operator==(const LoggingConfig&) const = default;
};

/// One entry of a service's `networks:` (all fields optional).
struct ServiceNetworkConfig {
    std::vector<std::string> aliases;
    std::string ipv4_address;
    std::string ipv6_address;
    std::vector<std::string> link_local_ips;
    std::string mac_address;
    std::string interface_name;
    Mapping driver_opts;
    std::optional<int64_t> priority;
    std::optional<int64_t> gw_priority;
    Extensions extensions;
    bool operator==(const ServiceNetworkConfig&) const = default;
};

/// A service's reference to a top-level secret or config (`secrets: [x]` or long form).
struct ServiceConfigObjConfig {
    std::string source;
    std::string target;  ///< "" = default (/run/secrets/<source> for secrets, /<source> for configs)
    std::string uid;
    std::string gid;
    std::optional<uint32_t> mode;
    Extensions extensions;
    bool operator==(const ServiceConfigObjConfig&) const = default;
};

struct DeviceMapping {
    std::string source;
    std::string target;
    std::string permissions; ///< "rwm" default
    bool operator==(const DeviceMapping&) const = default;
};

struct EnvFile {
    std::string path;       ///< absolute after the loader
    bool required = true;
    std::string format;     ///< "" or "raw"
    bool operator==(const EnvFile&) const = default;
};

struct ExtendsConfig {
    std::string file;
    std::string service;
    bool operator==(const ExtendsConfig&) const = default;
};

/// `deploy.resources.reservations.devices[]` and `gpus:` entries.
struct DeviceRequest {
    std::vector<std::string> capabilities;
    std::string driver;
    int64_t count = 0;            ///< -1 = "all"
    std::vector<std::string> device_ids;
    Mapping options;
    bool operator==(const DeviceRequest&) const = default;
};

struct Resource {
    std::optional<double> cpus;       ///< `cpus: "0.5"`
    std::optional<UnitBytes> memory;
    std::optional<int64_t> pids;
    std::vector<DeviceRequest> devices;
    bool operator==(const Resource&) const = default;
};

struct Resources {
    std::optional<Resource> limits;
    std::optional<Resource> reservations;
    bool operator==(const Resources&) const = default;
};

struct RestartPolicy {
    std::string condition;            ///< none, on-failure, any
    std::optional<Duration> delay;
    std::optional<uint64_t> max_attempts;
    std::optional<Duration> window;
    bool operator==(const RestartPolicy&) const = default;
};

struct UpdateConfig {
    std::optional<uint64_t> parallelism;
    std::optional<Duration> delay;
    std::string failure_action;
    std::optional<Duration> monitor;
    std::optional<double> max_failure_ratio;
    std::string order;
    bool operator==(const UpdateConfig&) const = default;
};

struct Placement {
    std::vector<std::string> constraints;
    std::vector<std::string> preferences; ///< spread expressions
    std::optional<uint64_t> max_replicas_per_node;
    bool operator==(const Placement&) const = default;
};

struct DeployConfig {
    std::string mode;                 ///< "replicated" (default), "global", …
    std::optional<int64_t> replicas;
    Mapping labels;
    std::optional<UpdateConfig> update_config;
    std::optional<UpdateConfig> rollback_config;
    Resources resources;
    std::optional<RestartPolicy> restart_policy;
    std::optional<Placement> placement;
    std::string endpoint_mode;
    Extensions extensions;
    bool operator==(const DeployConfig&) const = default;
};

struct BuildConfig {
    std::string context;              ///< absolute path, or a URL, after the loader
    std::string dockerfile;           ///< relative to context ("Dockerfile" default)
    std::string dockerfile_inline;
    std::vector<std::string> entitlements;
    MappingWithEquals args;
    std::vector<std::string> ssh;
    Mapping labels;
    std::vector<std::string> cache_from;
    std::vector<std::string> cache_to;
    bool no_cache = false;
    Mapping additional_contexts;
    std::string network;
    bool pull = false;
    std::string target;
    std::optional<UnitBytes> shm_size;
    std::map<std::string, std::vector<std::string>> extra_hosts;
    std::string isolation;
    bool privileged = false;
    std::vector<ServiceConfigObjConfig> secrets;
    std::vector<std::string> tags;
    std::map<std::string, UlimitsConfig> ulimits;
    std::vector<std::string> platforms;
    Extensions extensions;
    bool operator==(const BuildConfig&) const = default;
};

/// `develop.watch[]`.
struct Trigger {
    std::string path;
    std::string action;               ///< sync, rebuild, restart, sync+restart, sync+exec
    std::string target;
    std::vector<std::string> ignore;
    std::vector<std::string> include;
    bool initial_sync = false;
    Extensions extensions;
    bool operator==(const Trigger&) const = default;
};

struct DevelopConfig {
    std::vector<Trigger> watch;
    Extensions extensions;
    bool operator==(const DevelopConfig&) const = default;
};

/// `post_start[]` / `pre_stop[]` lifecycle hooks.
struct ServiceHook {
    ShellCommand command;
    std::string user;
    bool privileged = false;
    std::string working_dir;
    MappingWithEquals environment;
    bool operator==(const ServiceHook&) const = default;
};

struct ServiceConfig {
    std::string name;                                  ///< the key under `services:`
    std::vector<std::string> profiles;
    Mapping annotations;
    std::optional<bool> attach;
    std::optional<BuildConfig> build;
    std::optional<DevelopConfig> develop;
    std::vector<std::string> cap_add;
    std::vector<std::string> cap_drop;
    std::string cgroup_parent;
    std::string cgroup;                                ///< "host" | "private"
    std::optional<double> cpus;
    std::optional<int64_t> cpu_shares;
    std::optional<int64_t> cpu_quota;
    std::optional<int64_t> cpu_period;
    std::string cpuset;
    std::optional<ShellCommand> command;
    std::vector<ServiceConfigObjConfig> configs;
    std::string container_name;
    std::map<std::string, ServiceDependency> depends_on;
    std::optional<DeployConfig> deploy;
    std::vector<std::string> device_cgroup_rules;
    std::vector<DeviceMapping> devices;
    std::vector<std::string> dns;
    std::vector<std::string> dns_opt;
    std::vector<std::string> dns_search;
    std::string domainname;
    std::optional<ShellCommand> entrypoint;
    MappingWithEquals environment;                     ///< env_file values already merged in
    std::vector<EnvFile> env_files;                    ///< printed as `env_file`
    std::vector<std::string> expose;                   ///< "80", "8000-8010/udp"
    std::optional<ExtendsConfig> extends;              ///< cleared once applied
    std::vector<std::string> external_links;
    std::map<std::string, std::vector<std::string>> extra_hosts; ///< host → IPs
    std::vector<std::string> group_add;
    std::vector<DeviceRequest> gpus;
    std::string hostname;
    std::optional<HealthCheckConfig> healthcheck;
    std::string image;                                 ///< "" when only `build:` is given
    std::optional<bool> init;
    std::string ipc;
    std::string isolation;
    Mapping labels;
    std::vector<std::string> links;
    std::optional<LoggingConfig> logging;
    std::string mac_address;
    std::optional<UnitBytes> mem_limit;
    std::optional<UnitBytes> mem_reservation;
    std::optional<UnitBytes> memswap_limit;
    std::optional<int64_t> mem_swappiness;
    std::string network_mode;                          ///< host, none, bridge, service:x, container:x
    /// network key → per-service settings; nullopt value prints as `null` (no settings).
    std::map<std::string, std::optional<ServiceNetworkConfig>> networks;
    std::optional<bool> oom_kill_disable;
    std::optional<int64_t> oom_score_adj;
    std::string pid;
    std::optional<int64_t> pids_limit;
    std::string platform;
    std::vector<PortConfig> ports;
    bool privileged = false;
    std::string pull_policy;                           ///< always, never, missing, build, daily, every_<d>
    bool read_only = false;
    std::string restart;                               ///< no, always, on-failure[:N], unless-stopped
    std::string runtime;
    std::optional<int64_t> scale;
    std::vector<ServiceConfigObjConfig> secrets;
    std::vector<std::string> security_opt;
    std::optional<UnitBytes> shm_size;
    bool stdin_open = false;
    std::optional<Duration> stop_grace_period;
    std::string stop_signal;
    Mapping storage_opt;
    Mapping sysctls;
    std::vector<std::string> tmpfs;
    bool tty = false;
    std::map<std::string, UlimitsConfig> ulimits;
    std::string user;
    std::string userns_mode;
    std::string uts;
    std::vector<ServiceVolumeConfig> volumes;
    std::vector<std::string> volumes_from;
    std::string working_dir;
    std::vector<ServiceHook> post_start;
    std::vector<ServiceHook> pre_stop;
    Extensions extensions;

    bool operator==(const ServiceConfig&) const = default;

    /// Replicas wanted: deploy.replicas, else scale, else 1.
    int64_t replica_count() const;
    /// The image to run: `image`, else "<project>-<service>" for a built service.
    std::string image_name(const std::string& project_name) const;
};

} // namespace wharf::compose
