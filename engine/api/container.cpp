// Container record <-> JSON. The stored document follows `docker inspect`'s layout (Id, Name,
// State, Config, HostConfig, NetworkSettings) so inspect can print it with little work; fields
// only wharf needs (monitor pid, pid start times, layer dirs) sit beside Docker's.
#include "engine/api/container.h"

#include <nlohmann/json.hpp>

namespace wharf::engine {

using nlohmann::ordered_json;

Result<RestartPolicy> parse_restart_policy(const std::string& text)
{
    RestartPolicy p;
    std::string name = text.substr(0, text.find(':'));
    std::string count = text.find(':') == std::string::npos ? "" : text.substr(text.find(':') + 1);
    if (name == "no" || name.empty())
        p.name = RestartName::No;
    else if (name == "always")
        p.name = RestartName::Always;
    else if (name == "unless-stopped")
        p.name = RestartName::UnlessStopped;
    else if (name == "on-failure")
        p.name = RestartName::OnFailure;
    else
        return Error(Errc::Invalid, "invalid restart policy '" + text + "'");
    if (!count.empty()) {
        if (p.name != RestartName::OnFailure)
            return Error(Errc::Invalid, "invalid restart policy '" + text +
                                            "': maximum retry count can only be used with 'on-failure'");
        char* end = nullptr;
        long n = std::strtol(count.c_str(), &end, 10);
        if (*end || n < 0)
            return Error(Errc::Invalid, "invalid restart policy '" + text + "': maximum retry count must be a positive integer");
        p.max_retries = static_cast<int>(n);
    }
    return p;
}

std::string to_string(const RestartPolicy& policy)
{
    switch (policy.name) {
    case RestartName::No: return "no";
    case RestartName::Always: return "always";
    case RestartName::UnlessStopped: return "unless-stopped";
    case RestartName::OnFailure: return "on-failure";
    }
    return "no";
}

const char* to_string(ContainerStatus status)
{
    switch (status) {
    case ContainerStatus::Created: return "created";
    case ContainerStatus::Running: return "running";
    case ContainerStatus::Paused: return "paused";
    case ContainerStatus::Restarting: return "restarting";
    case ContainerStatus::Removing: return "removing";
    case ContainerStatus::Exited: return "exited";
    case ContainerStatus::Dead: return "dead";
    }
    return "created";
}

namespace {
ContainerStatus status_from(const std::string& s)
{
    for (auto st : {ContainerStatus::Created, ContainerStatus::Running, ContainerStatus::Paused,
                    ContainerStatus::Restarting, ContainerStatus::Removing, ContainerStatus::Exited,
                    ContainerStatus::Dead})
        if (s == to_string(st))
            return st;
    return ContainerStatus::Dead;
}

ordered_json encode_mount(const MountSpec& m)
{
    ordered_json j;
    j["Type"] = to_string(m.type);
    j["Source"] = m.source;
    j["Target"] = m.target;
    j["ReadOnly"] = m.read_only;
    j["CreateHostPath"] = m.create_host_path;
    j["NoCopy"] = m.no_copy;
    j["Anonymous"] = m.anonymous;
    j["Options"] = m.options;
    return j;
}

MountSpec decode_mount(const ordered_json& j)
{
    MountSpec m;
    std::string t = j.value("Type", "bind");
    m.type = t == "volume" ? MountType::Volume : t == "tmpfs" ? MountType::Tmpfs : MountType::Bind;
    m.source = j.value("Source", "");
    m.target = j.value("Target", "");
    m.read_only = j.value("ReadOnly", false);
    m.create_host_path = j.value("CreateHostPath", false);
    m.no_copy = j.value("NoCopy", false);
    m.anonymous = j.value("Anonymous", false);
    m.options = j.value("Options", std::vector<std::string>{});
    return m;
}

ordered_json strings_or_null(const std::vector<std::string>& v)
{
    return v.empty() ? ordered_json(nullptr) : ordered_json(v);
}
} // namespace

std::string encode_record(const ContainerRecord& r)
{
    const auto& c = r.config;
    const auto& s = r.state;
    ordered_json j;
    j["Id"] = r.id;
    j["Created"] = r.created;
    j["Path"] = !c.entrypoint.empty() ? c.entrypoint[0] : (!c.cmd.empty() ? c.cmd[0] : "");
    std::vector<std::string> args;
    for (const auto& part : {c.entrypoint, c.cmd})
        args.insert(args.end(), part.begin(), part.end());
    if (!args.empty())
        args.erase(args.begin());
    j["Args"] = args;
    ordered_json st;
    st["Status"] = to_string(s.status);
    // Docker: a paused container is still running (Running and Paused both true).
    st["Running"] = s.status == ContainerStatus::Running || s.status == ContainerStatus::Restarting ||
                    s.status == ContainerStatus::Paused;
    st["Paused"] = s.status == ContainerStatus::Paused;
    st["Restarting"] = s.status == ContainerStatus::Restarting;
    st["OOMKilled"] = s.oom_killed;
    st["Dead"] = s.status == ContainerStatus::Dead;
    st["Pid"] = s.pid;
    st["ExitCode"] = s.exit_code;
    st["Error"] = s.error;
    st["StartedAt"] = s.started_at.empty() ? "0001-01-01T00:00:00Z" : s.started_at;
    st["FinishedAt"] = s.finished_at.empty() ? "0001-01-01T00:00:00Z" : s.finished_at;
    if (!s.health.status.empty()) {
        ordered_json h;
        h["Status"] = s.health.status;
        h["FailingStreak"] = s.health.failing_streak;
        ordered_json log = ordered_json::array();
        for (const auto& l : s.health.log)
            log.push_back({{"Start", l.start}, {"End", l.end}, {"ExitCode", l.exit_code}, {"Output", l.output}});
        h["Log"] = log;
        st["Health"] = h;
    }
    st["PidStartTime"] = s.pid_start_time;
    st["MonitorPid"] = s.monitor_pid;
    st["MonitorStartTime"] = s.monitor_start_time;
    st["ManuallyStopped"] = s.manually_stopped;
    st["NetworkIPs"] = s.network_ips;
    st["PortMappings"] = s.port_mappings;
    j["State"] = st;
    j["Image"] = c.image_id;
    j["Name"] = "/" + c.name;
    j["RestartCount"] = s.restart_count;
    ordered_json hc;
    hc["NetworkMode"] = c.network_mode;
    hc["VolumesFrom"] = strings_or_null(c.volumes_from);
    hc["IpcMode"] = c.ipc_mode.empty() ? std::string("private") : c.ipc_mode;
    hc["PidMode"] = c.pid_mode;
    hc["PortBindings"] = c.publish;
    hc["PublishAllPorts"] = c.publish_all;
    hc["RestartPolicy"] = {{"Name", to_string(c.restart)}, {"MaximumRetryCount", c.restart.max_retries}};
    hc["AutoRemove"] = c.auto_remove;
    hc["CapAdd"] = strings_or_null(c.cap_add);
    hc["CapDrop"] = strings_or_null(c.cap_drop);
    hc["Dns"] = c.dns;
    hc["ExtraHosts"] = strings_or_null(c.extra_hosts);
    hc["Privileged"] = c.privileged;
    hc["ReadonlyRootfs"] = c.read_only;
    hc["Init"] = c.init;
    hc["Memory"] = c.resources.memory;
    hc["MemorySwap"] = c.resources.memory_swap;
    hc["NanoCpus"] = c.resources.nano_cpus;
    hc["CpuShares"] = c.resources.cpu_shares;
    hc["PidsLimit"] = c.resources.pids_limit;
    ordered_json mounts = ordered_json::array();
    for (const auto& m : c.mounts)
        mounts.push_back(encode_mount(m));
    hc["Mounts"] = mounts;
    j["HostConfig"] = hc;
    ordered_json cfg;
    cfg["Hostname"] = c.hostname;
    cfg["Domainname"] = c.domainname;
    cfg["User"] = c.user;
    cfg["Tty"] = c.tty;
    cfg["OpenStdin"] = c.open_stdin;
    ordered_json exposed = ordered_json::object();
    for (const auto& p : c.exposed_ports)
        exposed[p] = ordered_json::object();
    cfg["ExposedPorts"] = exposed;
    cfg["Env"] = c.env;
    cfg["Cmd"] = strings_or_null(c.cmd);
    if (c.healthcheck) {
        const auto& h = *c.healthcheck;
        cfg["Healthcheck"] = {{"Test", h.test}, {"Interval", h.interval_ns}, {"Timeout", h.timeout_ns},
                              {"StartPeriod", h.start_period_ns}, {"StartInterval", h.start_interval_ns},
                              {"Retries", h.retries}};
    }
    cfg["Image"] = c.image;
    cfg["WorkingDir"] = c.working_dir;
    cfg["Entrypoint"] = strings_or_null(c.entrypoint);
    cfg["Labels"] = c.labels;
    if (!c.stop_signal.empty())
        cfg["StopSignal"] = c.stop_signal;
    if (c.stop_timeout)
        cfg["StopTimeout"] = *c.stop_timeout;
    j["Config"] = cfg;
    ordered_json nets = ordered_json::object();
    for (const auto& n : c.networks)
        nets[n.network] = {{"Aliases", strings_or_null(n.aliases)}, {"IPAddress", n.ipv4_address}};
    j["NetworkSettings"] = {{"Networks", nets}};
    j["LayerDirs"] = c.layer_dirs;
    return j.dump(2) + "\n";
}

Result<ContainerRecord> decode_record(const std::string& text)
{
    try {
        auto j = ordered_json::parse(text);
        ContainerRecord r;
        r.id = j.at("Id").get<std::string>();
        r.created = j.value("Created", "");
        auto& c = r.config;
        auto& s = r.state;
        const auto& st = j.at("State");
        s.status = status_from(st.value("Status", "dead"));
        s.oom_killed = st.value("OOMKilled", false);
        s.pid = st.value("Pid", 0);
        s.exit_code = st.value("ExitCode", 0);
        s.error = st.value("Error", "");
        s.started_at = st.value("StartedAt", "");
        s.finished_at = st.value("FinishedAt", "");
        if (s.started_at.rfind("0001-", 0) == 0)
            s.started_at.clear();
        if (s.finished_at.rfind("0001-", 0) == 0)
            s.finished_at.clear();
        if (st.contains("Health")) {
            const auto& h = st["Health"];
            s.health.status = h.value("Status", "");
            s.health.failing_streak = h.value("FailingStreak", 0);
            for (const auto& l : h.value("Log", ordered_json::array()))
                s.health.log.push_back({l.value("Start", ""), l.value("End", ""), l.value("ExitCode", 0), l.value("Output", "")});
        }
        s.pid_start_time = st.value("PidStartTime", 0ULL);
        s.monitor_pid = st.value("MonitorPid", 0);
        s.monitor_start_time = st.value("MonitorStartTime", 0ULL);
        s.manually_stopped = st.value("ManuallyStopped", false);
        s.network_ips = st.value("NetworkIPs", std::map<std::string, std::string>{});
        s.port_mappings = st.value("PortMappings", std::vector<std::string>{});
        s.restart_count = j.value("RestartCount", 0);
        c.image_id = j.value("Image", "");
        std::string name = j.value("Name", "");
        c.name = !name.empty() && name[0] == '/' ? name.substr(1) : name;
        const auto& hc = j.at("HostConfig");
        c.network_mode = hc.value("NetworkMode", "none");
        c.ipc_mode = hc.value("IpcMode", "");
        if (c.ipc_mode == "private")
            c.ipc_mode.clear();
        c.pid_mode = hc.value("PidMode", "");
        c.publish = hc.value("PortBindings", std::vector<std::string>{});
        c.publish_all = hc.value("PublishAllPorts", false);
        auto rp = parse_restart_policy(hc.at("RestartPolicy").value("Name", "no"));
        if (rp)
            c.restart = *rp;
        c.restart.max_retries = hc.at("RestartPolicy").value("MaximumRetryCount", 0);
        c.auto_remove = hc.value("AutoRemove", false);
        auto strings = [](const ordered_json& o, const char* key) {
            return o.contains(key) && o[key].is_array() ? o[key].get<std::vector<std::string>>() : std::vector<std::string>{};
        };
        c.cap_add = strings(hc, "CapAdd");
        c.cap_drop = strings(hc, "CapDrop");
        c.dns = strings(hc, "Dns");
        c.extra_hosts = strings(hc, "ExtraHosts");
        c.volumes_from = strings(hc, "VolumesFrom");
        c.privileged = hc.value("Privileged", false);
        c.read_only = hc.value("ReadonlyRootfs", false);
        c.init = hc.value("Init", false);
        c.resources.memory = hc.value("Memory", int64_t{0});
        c.resources.memory_swap = hc.value("MemorySwap", int64_t{0});
        c.resources.nano_cpus = hc.value("NanoCpus", int64_t{0});
        c.resources.cpu_shares = hc.value("CpuShares", int64_t{0});
        c.resources.pids_limit = hc.value("PidsLimit", int64_t{0});
        for (const auto& m : hc.value("Mounts", ordered_json::array()))
            c.mounts.push_back(decode_mount(m));
        const auto& cfg = j.at("Config");
        c.hostname = cfg.value("Hostname", "");
        c.domainname = cfg.value("Domainname", "");
        c.user = cfg.value("User", "");
        c.tty = cfg.value("Tty", false);
        c.open_stdin = cfg.value("OpenStdin", false);
        const auto exposed = cfg.value("ExposedPorts", ordered_json::object());
        for (const auto& [port, _] : exposed.items())
            c.exposed_ports.push_back(port);
        c.env = strings(cfg, "Env");
        c.cmd = strings(cfg, "Cmd");
        c.entrypoint = strings(cfg, "Entrypoint");
        if (cfg.contains("Healthcheck")) {
            const auto& h = cfg["Healthcheck"];
            HealthConfig hc2;
            hc2.test = strings(h, "Test");
            hc2.interval_ns = h.value("Interval", int64_t{0});
            hc2.timeout_ns = h.value("Timeout", int64_t{0});
            hc2.start_period_ns = h.value("StartPeriod", int64_t{0});
            hc2.start_interval_ns = h.value("StartInterval", int64_t{0});
            hc2.retries = h.value("Retries", 0);
            c.healthcheck = hc2;
        }
        c.image = cfg.value("Image", "");
        c.working_dir = cfg.value("WorkingDir", "");
        c.labels = cfg.value("Labels", std::map<std::string, std::string>{});
        c.stop_signal = cfg.value("StopSignal", "");
        if (cfg.contains("StopTimeout"))
            c.stop_timeout = cfg["StopTimeout"].get<int>();
        if (j.contains("NetworkSettings")) {
            const auto nets = j["NetworkSettings"].value("Networks", ordered_json::object());
            for (const auto& [net, v] : nets.items())
                c.networks.push_back({net, strings(v, "Aliases"), v.value("IPAddress", "")});
        }
        c.layer_dirs = strings(j, "LayerDirs");
        return r;
    } catch (const std::exception& e) {
        return Error(Errc::Invalid, std::string("decode container record: ") + e.what());
    }
}

} // namespace wharf::engine
