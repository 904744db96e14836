#include "compose/plan/container_spec.h"

#include "compose/graph/graph.h"
#include "compose/plan/config_hash.h"
#include "compose/plan/labels.h"

#include <algorithm>
#include <cstdio>

namespace wharf::compose {

namespace {

Error unsupported(const ServiceConfig& s, const std::string& what)
{
    return Error(Errc::Invalid, "service \"" + s.name + "\": " + what + " is not supported yet");
}

std::string join(const std::vector<std::string>& v, const char* sep)
{
    std::string out;
    for (const auto& x : v)
        out += (out.empty() ? "" : sep) + x;
    return out;
}

// Networks in the order their endpoints are made: the first gets the default route.
// compose: higher priority first, then by name.
std::vector<std::string> ordered_networks(const ServiceConfig& s)
{
    std::vector<std::string> keys;
    for (const auto& [k, _] : s.networks)
        keys.push_back(k);
    auto prio = [&](const std::string& k) {
        const auto& n = s.networks.at(k);
        return n && n->priority ? *n->priority : 0;
    };
    std::stable_sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) { return prio(a) > prio(b); });
    return keys;
}

std::string depends_on_label(const ServiceConfig& s)
{
    std::vector<std::string> parts;
    for (const auto& [dep, d] : s.depends_on)
        parts.push_back(dep + ":" + to_string(d.condition) + ":" + (d.restart ? "true" : "false"));
    return join(parts, ",");
}

} // namespace

namespace {
// ipc/pid: `service:x` joins replica 1 of x (the plan starts it first); the rest as given.
Result<std::string> namespace_mode(const Project& p, const ServiceConfig& s, const char* key, const std::string& value)
{
    auto parent = service_reference(value);
    if (parent.empty())
        return value;
    auto it = p.services.find(parent);
    if (it == p.services.end())
        return Error(Errc::Invalid, "service \"" + s.name + "\": " + key + ": service \"" + parent + "\" is not enabled");
    return "container:" + container_name(p, it->second, 1);
}
} // namespace

std::string container_name(const Project& p, const ServiceConfig& s, int number)
{
    if (!s.container_name.empty())
        return s.container_name;
    return p.name + "-" + s.name + "-" + std::to_string(number);
}

std::string network_name(const Project& p, const std::string& key)
{
    auto it = p.networks.find(key);
    if (it != p.networks.end() && !it->second.name.empty())
        return it->second.name;
    return p.name + "_" + key;
}

std::string publish_text(const PortConfig& port)
{
    std::string proto = port.protocol.empty() ? "tcp" : port.protocol;
    std::string text;
    if (!port.host_ip.empty())
        text += (port.host_ip.find(':') != std::string::npos ? "[" + port.host_ip + "]" : port.host_ip) + ":";
    if (!port.published.empty() || !port.host_ip.empty())
        text += port.published + ":";
    return text + std::to_string(port.target) + "/" + proto;
}

Result<ContainerSpec> make_container_spec(const SpecContext& ctx, const ServiceConfig& s, int number)
{
    const Project& p = ctx.project;
    ContainerSpec spec;
    spec.number = number;
    auto& c = spec.config;
    c.name = container_name(p, s, number);
    c.image = s.image_name(p.name);
    c.hostname = s.hostname;
    c.domainname = s.domainname;
    c.user = s.user;
    c.working_dir = s.working_dir;
    for (const auto& [k, v] : s.environment)
        if (v)
            spec.env.push_back(k + "=" + *v);
    if (s.entrypoint) {
        spec.entrypoint_set = true;
        c.entrypoint = *s.entrypoint;
    }
    if (s.command)
        c.cmd = *s.command;
    c.tty = s.tty;
    c.open_stdin = s.stdin_open;
    c.stop_signal = s.stop_signal;
    if (s.stop_grace_period)
        c.stop_timeout = static_cast<int>(s.stop_grace_period->nanoseconds / 1'000'000'000);
    if (s.healthcheck) {
        const auto& h = *s.healthcheck;
        engine::HealthConfig hc;
        if (h.disable)
            hc.test = {"NONE"};
        else if (h.test)
            hc.test = *h.test;
        hc.interval_ns = h.interval ? h.interval->nanoseconds : 0;
        hc.timeout_ns = h.timeout ? h.timeout->nanoseconds : 0;
        hc.start_period_ns = h.start_period ? h.start_period->nanoseconds : 0;
        hc.start_interval_ns = h.start_interval ? h.start_interval->nanoseconds : 0;
        hc.retries = h.retries ? static_cast<int>(*h.retries) : 0;
        c.healthcheck = hc;
    }
    if (!s.restart.empty()) {
        auto r = engine::parse_restart_policy(s.restart);
        if (!r)
            return std::move(r).error().context("service \"" + s.name + "\": restart");
        c.restart = *r;
    }
    c.read_only = s.read_only;
    c.privileged = s.privileged;
    c.init = s.init.value_or(false);
    c.cap_add = s.cap_add;
    c.cap_drop = s.cap_drop;

    // Resources: the service's own keys, else deploy.resources.limits.
    auto& r = c.resources;
    if (s.mem_limit)
        r.memory = *s.mem_limit;
    if (s.memswap_limit)
        r.memory_swap = *s.memswap_limit;
    if (s.cpus)
        r.nano_cpus = static_cast<int64_t>(*s.cpus * 1e9);
    if (s.cpu_shares)
        r.cpu_shares = *s.cpu_shares;
    if (s.pids_limit)
        r.pids_limit = *s.pids_limit;
    if (s.deploy && s.deploy->resources.limits) {
        const auto& l = *s.deploy->resources.limits;
        if (!r.memory && l.memory)
            r.memory = *l.memory;
        if (!r.nano_cpus && l.cpus)
            r.nano_cpus = static_cast<int64_t>(*l.cpus * 1e9);
        if (!r.pids_limit && l.pids)
            r.pids_limit = *l.pids;
    }

    for (const auto& v : s.volumes) {
        engine::MountSpec m;
        m.target = v.target;
        m.read_only = v.read_only;
        switch (v.type) {
        case VolumeType::Bind:
            m.type = engine::MountType::Bind;
            m.source = v.source;
            m.create_host_path = v.bind && v.bind->create_host_path;
            if (v.bind && !v.bind->propagation.empty())
                m.options.push_back(v.bind->propagation);
            break;
        case VolumeType::Volume:
            m.type = engine::MountType::Volume;
            if (!v.source.empty()) {
                auto it = p.volumes.find(v.source);
                m.source = it != p.volumes.end() && !it->second.name.empty() ? it->second.name : p.name + "_" + v.source;
            } else {
                m.anonymous = true;
            }
            m.no_copy = v.volume && v.volume->nocopy;
            break;
        case VolumeType::Tmpfs:
            m.type = engine::MountType::Tmpfs;
            if (v.tmpfs && v.tmpfs->size)
                m.options.push_back("size=" + std::to_string(*v.tmpfs->size));
            if (v.tmpfs && v.tmpfs->mode) {
                char buf[16];
                std::snprintf(buf, sizeof buf, "mode=%o", *v.tmpfs->mode);
                m.options.push_back(buf);
            }
            break;
        default:
            return unsupported(s, std::string("volume type \"") + to_string(v.type) + "\"");
        }
        c.mounts.push_back(std::move(m));
    }
    for (const auto& t : s.tmpfs) {
        engine::MountSpec m;
        m.type = engine::MountType::Tmpfs;
        auto colon = t.find(':');
        m.target = t.substr(0, colon);
        if (colon != std::string::npos)
            m.options.push_back(t.substr(colon + 1));
        c.mounts.push_back(std::move(m));
    }
    // volumes_from: `service:x`/`x` (replica 1 of x, created first by the plan) or
    // `container:name`, each with an optional :ro/:rw; the engine copies the mounts.
    for (const auto& v : s.volumes_from) {
        std::string ref = v, mode;
        if (ref.starts_with("container:"))
            ref = ref.substr(10);
        else if (ref.starts_with("service:"))
            ref = ref.substr(8);
        if (auto colon = ref.find(':'); colon != std::string::npos) {
            mode = ref.substr(colon + 1);
            ref = ref.substr(0, colon);
        }
        if (mode != "" && mode != "ro" && mode != "rw")
            return Error(Errc::Invalid, "service \"" + s.name + "\": volumes_from \"" + v + "\": invalid mode \"" + mode +
                                            "\" (expected ro or rw)");
        if (!v.starts_with("container:")) {
            auto it = p.services.find(ref);
            if (it == p.services.end())
                return Error(Errc::Invalid, "service \"" + s.name + "\": volumes_from: service \"" + ref + "\" is not enabled");
            ref = container_name(p, it->second, 1);
        }
        c.volumes_from.push_back(mode.empty() ? ref : ref + ":" + mode);
    }
    c.ipc_mode = TRY(namespace_mode(p, s, "ipc", s.ipc));
    c.pid_mode = TRY(namespace_mode(p, s, "pid", s.pid));

    if (s.network_mode == "host" || s.network_mode == "none") {
        c.network_mode = s.network_mode;
    } else if (auto parent = service_reference(s.network_mode); !parent.empty()) {
        // Replica 1 of the other service; the plan creates this container after it started.
        auto it = p.services.find(parent);
        if (it == p.services.end())
            return Error(Errc::Invalid, "service \"" + s.name + "\": network_mode: service \"" + parent + "\" is not enabled");
        c.network_mode = "container:" + container_name(p, it->second, 1);
    } else if (s.network_mode.rfind("container:", 0) == 0) {
        c.network_mode = s.network_mode;
    } else if (!s.network_mode.empty() && s.network_mode != "bridge") {
        return unsupported(s, "network_mode \"" + s.network_mode + "\"");
    } else if (s.network_mode == "bridge" || s.networks.empty()) {
        c.network_mode = "bridge";
    } else {
        auto keys = ordered_networks(s);
        c.network_mode = network_name(p, keys.front());
        for (const auto& k : keys) {
            engine::NetworkAttachment a;
            a.network = network_name(p, k);
            a.aliases.push_back(s.name);
            if (const auto& n = s.networks.at(k)) {
                for (const auto& al : n->aliases)
                    if (std::find(a.aliases.begin(), a.aliases.end(), al) == a.aliases.end())
                        a.aliases.push_back(al);
                a.ipv4_address = n->ipv4_address;
            }
            c.networks.push_back(std::move(a));
        }
    }
    for (const auto& port : s.ports)
        c.publish.push_back(publish_text(port));
    for (const auto& e : s.expose)
        c.exposed_ports.push_back(e.find('/') == std::string::npos ? e + "/tcp" : e);
    for (const auto& [host, ips] : s.extra_hosts)
        for (const auto& ip : ips)
            c.extra_hosts.push_back(host + ":" + ip);
    c.dns = s.dns;

    c.labels = s.labels;
    c.labels[labels::kProject] = p.name;
    c.labels[labels::kService] = s.name;
    c.labels[labels::kContainerNumber] = std::to_string(number);
    c.labels[labels::kConfigHash] = config_hash(s);
    c.labels[labels::kConfigHashVersion] = std::to_string(kConfigHashVersion);
    c.labels[labels::kServiceConfig] = canonical_service_json(s);
    c.labels[labels::kOneoff] = "False";
    c.labels[labels::kWorkingDir] = p.working_dir;
    c.labels[labels::kConfigFiles] = join(p.compose_files, ",");
    if (!p.env_files.empty())
        c.labels[labels::kEnvironmentFile] = join(p.env_files, ",");
    c.labels[labels::kDependsOn] = depends_on_label(s);
    c.labels[labels::kImage] = ctx.image_id;
    c.labels[labels::kVersion] = ctx.tool_version;
    return spec;
}

} // namespace wharf::compose
