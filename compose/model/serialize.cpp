// Project → docker compose's `config` output (YAML and JSON); see serialize.h.
#include "compose/model/serialize.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace wharf::compose {

namespace {

using J = nlohmann::ordered_json;

J value_json(const Value& v)
{
    switch (v.kind) {
    case Value::Kind::Null: return nullptr;
    case Value::Kind::Bool: return v.b;
    case Value::Kind::Int: return v.i;
    case Value::Kind::Float: return v.f;
    case Value::Kind::String: return v.s;
    case Value::Kind::Seq: {
        J a = J::array();
        for (const auto& x : v.seq)
            a.push_back(value_json(x));
        return a;
    }
    case Value::Kind::Map: {
        J o = J::object();
        for (const auto& [k, x] : v.map)
            o[k] = value_json(x);
        return o;
    }
    }
    return nullptr;
}

void put_ext(J& o, const Extensions& x)
{
    for (const auto& [k, v] : x)
        o[k] = value_json(v);
}

void put_str(J& o, const char* k, const std::string& v)
{
    if (!v.empty())
        o[k] = v;
}

void put_list(J& o, const char* k, const std::vector<std::string>& v)
{
    if (!v.empty())
        o[k] = v;
}

void put_map(J& o, const char* k, const Mapping& m)
{
    if (m.empty())
        return;
    J x = J::object();
    for (const auto& [a, b] : m)
        x[a] = b;
    o[k] = x;
}

void put_env(J& o, const char* k, const MappingWithEquals& m)
{
    if (m.empty())
        return;
    J x = J::object();
    for (const auto& [a, b] : m)
        x[a] = b ? J(*b) : J(nullptr);
    o[k] = x;
}

std::string bytes_text(UnitBytes b) { return std::to_string(b); }

template <typename T>
void put_opt(J& o, const char* k, const std::optional<T>& v)
{
    if (v)
        o[k] = *v;
}

void put_dur(J& o, const char* k, const std::optional<Duration>& d)
{
    if (d)
        o[k] = d->to_string();
}

void put_bytes(J& o, const char* k, const std::optional<UnitBytes>& b)
{
    if (b)
        o[k] = bytes_text(*b);
}

J number_json(double d)
{
    // Print 0.5 as 0.5 and 2.0 as 2: keep integral values integral.
    if (std::floor(d) == d && std::fabs(d) < 1e15)
        return static_cast<int64_t>(d);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", d);
    return J::parse(buf);
}

J ulimits_json(const std::map<std::string, UlimitsConfig>& u)
{
    J o = J::object();
    for (const auto& [k, v] : u) {
        if (v.single)
            o[k] = *v.single;
        else
            o[k] = J{{"soft", v.soft}, {"hard", v.hard}};
    }
    return o;
}

J hosts_json(const std::map<std::string, std::vector<std::string>>& h)
{
    J a = J::array();
    for (const auto& [host, ips] : h)
        for (const auto& ip : ips)
            a.push_back(host + "=" + ip);
    return a;
}

J refs_json(const std::vector<ServiceConfigObjConfig>& refs)
{
    J a = J::array();
    for (const auto& r : refs) {
        J o = J::object();
        put_str(o, "source", r.source);
        put_str(o, "target", r.target);
        put_str(o, "uid", r.uid);
        put_str(o, "gid", r.gid);
        if (r.mode) {
            // compose-go's FileMode prints as an octal string, "0444".
            char buf[16];
            std::snprintf(buf, sizeof buf, "0%o", *r.mode);
            o["mode"] = buf;
        }
        put_ext(o, r.extensions);
        a.push_back(o);
    }
    return a;
}

J device_request_json(const DeviceRequest& d)
{
    J o = J::object();
    put_list(o, "capabilities", d.capabilities);
    put_str(o, "driver", d.driver);
    if (d.count != 0)
        o["count"] = d.count;
    put_list(o, "device_ids", d.device_ids);
    put_map(o, "options", d.options);
    return o;
}

J resource_json(const Resource& r)
{
    J o = J::object();
    if (r.cpus)
        o["cpus"] = number_json(*r.cpus);
    put_bytes(o, "memory", r.memory);
    put_opt(o, "pids", r.pids);
    if (!r.devices.empty()) {
        J a = J::array();
        for (const auto& d : r.devices)
            a.push_back(device_request_json(d));
        o["devices"] = a;
    }
    return o;
}

J update_json(const UpdateConfig& u)
{
    J o = J::object();
    put_opt(o, "parallelism", u.parallelism);
    put_dur(o, "delay", u.delay);
    put_str(o, "failure_action", u.failure_action);
    put_dur(o, "monitor", u.monitor);
    if (u.max_failure_ratio)
        o["max_failure_ratio"] = number_json(*u.max_failure_ratio);
    put_str(o, "order", u.order);
    return o;
}

J deploy_json(const DeployConfig& d)
{
    J o = J::object();
    put_str(o, "mode", d.mode);
    put_opt(o, "replicas", d.replicas);
    put_map(o, "labels", d.labels);
    if (d.update_config)
        o["update_config"] = update_json(*d.update_config);
    if (d.rollback_config)
        o["rollback_config"] = update_json(*d.rollback_config);
    J res = J::object();
    if (d.resources.limits)
        res["limits"] = resource_json(*d.resources.limits);
    if (d.resources.reservations)
        res["reservations"] = resource_json(*d.resources.reservations);
    if (!res.empty())
        o["resources"] = res;
    if (d.restart_policy) {
        J r = J::object();
        put_str(r, "condition", d.restart_policy->condition);
        put_dur(r, "delay", d.restart_policy->delay);
        put_opt(r, "max_attempts", d.restart_policy->max_attempts);
        put_dur(r, "window", d.restart_policy->window);
        o["restart_policy"] = r;
    }
    if (d.placement) {
        J pl = J::object();
        put_list(pl, "constraints", d.placement->constraints);
        if (!d.placement->preferences.empty()) {
            J a = J::array();
            for (const auto& s : d.placement->preferences)
                a.push_back(J{{"spread", s}});
            pl["preferences"] = a;
        }
        put_opt(pl, "max_replicas_per_node", d.placement->max_replicas_per_node);
        o["placement"] = pl;
    }
    put_str(o, "endpoint_mode", d.endpoint_mode);
    put_ext(o, d.extensions);
    return o;
}

J build_json(const BuildConfig& b)
{
    J o = J::object();
    put_str(o, "context", b.context);
    put_str(o, "dockerfile", b.dockerfile);
    put_str(o, "dockerfile_inline", b.dockerfile_inline);
    put_list(o, "entitlements", b.entitlements);
    put_env(o, "args", b.args);
    put_list(o, "ssh", b.ssh);
    put_map(o, "labels", b.labels);
    put_list(o, "cache_from", b.cache_from);
    put_list(o, "cache_to", b.cache_to);
    if (b.no_cache)
        o["no_cache"] = true;
    put_map(o, "additional_contexts", b.additional_contexts);
    if (b.pull)
        o["pull"] = true;
    if (!b.extra_hosts.empty())
        o["extra_hosts"] = hosts_json(b.extra_hosts);
    put_str(o, "isolation", b.isolation);
    put_str(o, "network", b.network);
    put_str(o, "target", b.target);
    if (!b.secrets.empty())
        o["secrets"] = refs_json(b.secrets);
    put_bytes(o, "shm_size", b.shm_size);
    put_list(o, "tags", b.tags);
    if (!b.ulimits.empty())
        o["ulimits"] = ulimits_json(b.ulimits);
    put_list(o, "platforms", b.platforms);
    if (b.privileged)
        o["privileged"] = true;
    put_ext(o, b.extensions);
    return o;
}

J hook_json(const ServiceHook& h)
{
    J o = J::object();
    o["command"] = h.command;
    put_str(o, "user", h.user);
    if (h.privileged)
        o["privileged"] = true;
    put_str(o, "working_dir", h.working_dir);
    put_env(o, "environment", h.environment);
    return o;
}

/// `json_nulls`: unset command/entrypoint print as null, as docker compose's JSON (its
/// ShellCommand fields are not omitempty there, to tell unset from `[]`).
J service_to_json(const ServiceConfig& s, bool json_nulls = false)
{
    J o = J::object();
    put_list(o, "profiles", s.profiles);
    put_map(o, "annotations", s.annotations);
    put_opt(o, "attach", s.attach);
    if (s.build)
        o["build"] = build_json(*s.build);
    if (s.develop) {
        J d = J::object();
        if (!s.develop->watch.empty()) {
            J a = J::array();
            for (const auto& t : s.develop->watch) {
                J w = J::object();
                put_str(w, "path", t.path);
                put_str(w, "action", t.action);
                put_str(w, "target", t.target);
                put_list(w, "ignore", t.ignore);
                put_list(w, "include", t.include);
                if (t.initial_sync)
                    w["initial_sync"] = true;
                put_ext(w, t.extensions);
                a.push_back(w);
            }
            d["watch"] = a;
        }
        put_ext(d, s.develop->extensions);
        o["develop"] = d;
    }
    put_list(o, "cap_add", s.cap_add);
    put_list(o, "cap_drop", s.cap_drop);
    put_str(o, "cgroup_parent", s.cgroup_parent);
    put_str(o, "cgroup", s.cgroup);
    put_opt(o, "cpu_period", s.cpu_period);
    put_opt(o, "cpu_quota", s.cpu_quota);
    if (s.cpus)
        o["cpus"] = number_json(*s.cpus);
    put_str(o, "cpuset", s.cpuset);
    put_opt(o, "cpu_shares", s.cpu_shares);
    if (s.command)
        o["command"] = *s.command;
    else if (json_nulls)
        o["command"] = nullptr;
    if (!s.configs.empty())
        o["configs"] = refs_json(s.configs);
    put_str(o, "container_name", s.container_name);
    if (!s.depends_on.empty()) {
        J d = J::object();
        for (const auto& [name, dep] : s.depends_on) {
            J x = J::object();
            x["condition"] = to_string(dep.condition);
            if (dep.restart)
                x["restart"] = true;
            put_ext(x, dep.extensions);
            x["required"] = dep.required;
            d[name] = x;
        }
        o["depends_on"] = d;
    }
    if (s.deploy)
        o["deploy"] = deploy_json(*s.deploy);
    put_list(o, "device_cgroup_rules", s.device_cgroup_rules);
    if (!s.devices.empty()) {
        J a = J::array();
        for (const auto& d : s.devices)
            a.push_back(J{{"source", d.source}, {"target", d.target}, {"permissions", d.permissions}});
        o["devices"] = a;
    }
    put_list(o, "dns", s.dns);
    put_list(o, "dns_opt", s.dns_opt);
    put_list(o, "dns_search", s.dns_search);
    put_str(o, "domainname", s.domainname);
    if (s.entrypoint)
        o["entrypoint"] = *s.entrypoint;
    else if (json_nulls)
        o["entrypoint"] = nullptr;
    put_env(o, "environment", s.environment);
    if (!s.env_files.empty()) {
        J a = J::array();
        for (const auto& f : s.env_files) {
            J x = J::object();
            x["path"] = f.path;
            x["required"] = f.required;
            put_str(x, "format", f.format);
            a.push_back(x);
        }
        o["env_file"] = a;
    }
    put_list(o, "expose", s.expose);
    put_list(o, "external_links", s.external_links);
    if (!s.extra_hosts.empty())
        o["extra_hosts"] = hosts_json(s.extra_hosts);
    put_list(o, "group_add", s.group_add);
    if (!s.gpus.empty()) {
        J a = J::array();
        for (const auto& g : s.gpus)
            a.push_back(device_request_json(g));
        o["gpus"] = a;
    }
    put_str(o, "hostname", s.hostname);
    if (s.healthcheck) {
        const auto& h = *s.healthcheck;
        J x = J::object();
        put_opt(x, "test", h.test);
        put_dur(x, "timeout", h.timeout);
        put_dur(x, "interval", h.interval);
        put_opt(x, "retries", h.retries);
        put_dur(x, "start_period", h.start_period);
        put_dur(x, "start_interval", h.start_interval);
        if (h.disable)
            x["disable"] = true;
        put_ext(x, h.extensions);
        o["healthcheck"] = x;
    }
    put_str(o, "image", s.image);
    put_opt(o, "init", s.init);
    put_str(o, "ipc", s.ipc);
    put_str(o, "isolation", s.isolation);
    put_map(o, "labels", s.labels);
    put_list(o, "links", s.links);
    if (s.logging) {
        J l = J::object();
        put_str(l, "driver", s.logging->driver);
        put_map(l, "options", s.logging->options);
        o["logging"] = l;
    }
    put_bytes(o, "mem_limit", s.mem_limit);
    put_bytes(o, "mem_reservation", s.mem_reservation);
    put_bytes(o, "memswap_limit", s.memswap_limit);
    put_opt(o, "mem_swappiness", s.mem_swappiness);
    put_str(o, "mac_address", s.mac_address);
    put_str(o, "network_mode", s.network_mode);
    if (!s.networks.empty()) {
        J n = J::object();
        for (const auto& [name, c] : s.networks) {
            if (!c) {
                n[name] = nullptr;
                continue;
            }
            J x = J::object(); // compose-go's field order
            put_list(x, "aliases", c->aliases);
            put_map(x, "driver_opts", c->driver_opts);
            put_opt(x, "gw_priority", c->gw_priority);
            put_str(x, "interface_name", c->interface_name);
            put_str(x, "ipv4_address", c->ipv4_address);
            put_str(x, "ipv6_address", c->ipv6_address);
            put_list(x, "link_local_ips", c->link_local_ips);
            put_str(x, "mac_address", c->mac_address);
            put_opt(x, "priority", c->priority);
            put_ext(x, c->extensions);
            n[name] = x;
        }
        o["networks"] = n;
    }
    put_opt(o, "oom_kill_disable", s.oom_kill_disable);
    put_opt(o, "oom_score_adj", s.oom_score_adj);
    put_str(o, "pid", s.pid);
    put_opt(o, "pids_limit", s.pids_limit);
    put_str(o, "platform", s.platform);
    if (!s.ports.empty()) {
        J a = J::array();
        for (const auto& p : s.ports) {
            J x = J::object();
            put_str(x, "name", p.name);
            put_str(x, "mode", p.mode);
            put_str(x, "host_ip", p.host_ip);
            x["target"] = p.target;
            put_str(x, "published", p.published);
            put_str(x, "protocol", p.protocol);
            put_str(x, "app_protocol", p.app_protocol);
            put_ext(x, p.extensions);
            a.push_back(x);
        }
        o["ports"] = a;
    }
    if (s.privileged)
        o["privileged"] = true;
    put_str(o, "pull_policy", s.pull_policy);
    if (s.read_only)
        o["read_only"] = true;
    put_str(o, "restart", s.restart);
    put_str(o, "runtime", s.runtime);
    put_opt(o, "scale", s.scale);
    if (!s.secrets.empty())
        o["secrets"] = refs_json(s.secrets);
    put_list(o, "security_opt", s.security_opt);
    put_bytes(o, "shm_size", s.shm_size);
    if (s.stdin_open)
        o["stdin_open"] = true;
    put_dur(o, "stop_grace_period", s.stop_grace_period);
    put_str(o, "stop_signal", s.stop_signal);
    put_map(o, "storage_opt", s.storage_opt);
    put_map(o, "sysctls", s.sysctls);
    put_list(o, "tmpfs", s.tmpfs);
    if (s.tty)
        o["tty"] = true;
    if (!s.ulimits.empty())
        o["ulimits"] = ulimits_json(s.ulimits);
    put_str(o, "user", s.user);
    put_str(o, "userns_mode", s.userns_mode);
    put_str(o, "uts", s.uts);
    if (!s.volumes.empty()) {
        J a = J::array();
        for (const auto& v : s.volumes) {
            J x = J::object();
            x["type"] = to_string(v.type);
            put_str(x, "source", v.source);
            x["target"] = v.target;
            if (v.read_only)
                x["read_only"] = true;
            put_str(x, "consistency", v.consistency);
            if (v.bind) {
                J b = J::object();
                put_str(b, "selinux", v.bind->selinux);
                put_str(b, "propagation", v.bind->propagation);
                if (v.bind->create_host_path)
                    b["create_host_path"] = true;
                put_str(b, "recursive", v.bind->recursive);
                x["bind"] = b;
            }
            if (v.volume) {
                J b = J::object();
                put_map(b, "labels", v.volume->labels);
                if (v.volume->nocopy)
                    b["nocopy"] = true;
                put_str(b, "subpath", v.volume->subpath);
                x["volume"] = b;
            }
            if (v.tmpfs) {
                J b = J::object();
                put_bytes(b, "size", v.tmpfs->size);
                put_opt(b, "mode", v.tmpfs->mode);
                x["tmpfs"] = b;
            }
            if (v.image) {
                J b = J::object();
                put_str(b, "subpath", v.image->subpath);
                x["image"] = b;
            }
            put_ext(x, v.extensions);
            a.push_back(x);
        }
        o["volumes"] = a;
    }
    put_list(o, "volumes_from", s.volumes_from);
    put_str(o, "working_dir", s.working_dir);
    if (!s.post_start.empty()) {
        J a = J::array();
        for (const auto& h : s.post_start)
            a.push_back(hook_json(h));
        o["post_start"] = a;
    }
    if (!s.pre_stop.empty()) {
        J a = J::array();
        for (const auto& h : s.pre_stop)
            a.push_back(hook_json(h));
        o["pre_stop"] = a;
    }
    put_ext(o, s.extensions);
    return o;
}


J project_json(const Project& p, bool json_nulls)
{
    J o = J::object();
    o["name"] = p.name;
    J services = J::object();
    for (const auto& [name, s] : p.services)
        services[name] = service_to_json(s, json_nulls);
    o["services"] = services;
    if (!p.networks.empty()) {
        J n = J::object();
        for (const auto& [k, c] : p.networks) {
            J x = J::object();
            put_str(x, "name", c.name);
            put_str(x, "driver", c.driver);
            put_map(x, "driver_opts", c.driver_opts);
            if (!c.ipam.driver.empty() || !c.ipam.config.empty() || !c.ipam.options.empty()) {
                J i = J::object();
                put_str(i, "driver", c.ipam.driver);
                if (!c.ipam.config.empty()) {
                    J a = J::array();
                    for (const auto& pool : c.ipam.config) {
                        J y = J::object();
                        put_str(y, "subnet", pool.subnet);
                        put_str(y, "gateway", pool.gateway);
                        put_str(y, "ip_range", pool.ip_range);
                        put_map(y, "aux_addresses", pool.aux_addresses);
                        a.push_back(y);
                    }
                    i["config"] = a;
                }
                put_map(i, "options", c.ipam.options);
                x["ipam"] = i;
            }
            if (c.external)
                x["external"] = true;
            if (c.internal)
                x["internal"] = true;
            if (c.attachable)
                x["attachable"] = true;
            put_map(x, "labels", c.labels);
            put_opt(x, "enable_ipv4", c.enable_ipv4);
            put_opt(x, "enable_ipv6", c.enable_ipv6);
            put_ext(x, c.extensions);
            n[k] = x;
        }
        o["networks"] = n;
    }
    if (!p.volumes.empty()) {
        J n = J::object();
        for (const auto& [k, c] : p.volumes) {
            J x = J::object();
            put_str(x, "name", c.name);
            put_str(x, "driver", c.driver);
            put_map(x, "driver_opts", c.driver_opts);
            if (c.external)
                x["external"] = true;
            put_map(x, "labels", c.labels);
            put_ext(x, c.extensions);
            n[k] = x;
        }
        o["volumes"] = n;
    }
    auto objs = [&](const char* key, const std::map<std::string, FileObjectConfig>& m) {
        if (m.empty())
            return;
        J n = J::object();
        for (const auto& [k, c] : m) {
            J x = J::object();
            put_str(x, "name", c.name);
            put_str(x, "file", c.file);
            put_str(x, "environment", c.environment);
            put_str(x, "content", c.content);
            if (c.external)
                x["external"] = true;
            put_map(x, "labels", c.labels);
            put_str(x, "driver", c.driver);
            put_map(x, "driver_opts", c.driver_opts);
            put_str(x, "template_driver", c.template_driver);
            put_ext(x, c.extensions);
            n[k] = x;
        }
        o[key] = n;
    };
    objs("secrets", p.secrets);
    objs("configs", p.configs);
    put_ext(o, p.extensions);
    return o;
}

// --- YAML emitter (block style, 2-space indent, sequences indented under their key) ---

/// The Unicode line breaks YAML folds like "\n" (NEL, LINE and PARAGRAPH SEPARATOR), as
/// their UTF-8 bytes: written raw, they come back as spaces (found by the fuzzer).
const char* yaml_line_break_escape(const std::string& s, size_t i, size_t& len)
{
    auto at = [&](size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0; };
    if (at(i) == 0xc2 && at(i + 1) == 0x85) {
        len = 2;
        return "\\N";
    }
    if (at(i) == 0xe2 && at(i + 1) == 0x80 && (at(i + 2) == 0xa8 || at(i + 2) == 0xa9)) {
        len = 3;
        return at(i + 2) == 0xa8 ? "\\L" : "\\P";
    }
    return nullptr;
}

bool has_yaml_line_break(const std::string& s)
{
    size_t len = 0;
    for (size_t i = 0; i < s.size(); ++i)
        if (yaml_line_break_escape(s, i, len))
            return true;
    return false;
}

bool needs_quotes(const std::string& s)
{
    if (s.empty())
        return true;
    static const char* kWords[] = {"null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE",
        "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N", "<<"};
    for (const char* w : kWords)
        if (s == w)
            return true;
    // Anything that reads as a number must stay a string.
    {
        const char* b = s.c_str();
        char* end = nullptr;
        std::strtod(b, &end);
        if (end && *end == '\0')
            return true;
        if (s.rfind("0x", 0) == 0 || s.rfind("0o", 0) == 0 || s == ".inf" || s == ".nan" || s == "-.inf")
            return true;
    }
    if (std::string(",[]{}#&*!|>'\"%@` ").find(s[0]) != std::string::npos)
        return true;
    // `-x`, `?x`, `:x` are plain scalars; `-`, `- x` are not.
    if (std::string("-?:").find(s[0]) != std::string::npos && (s.size() == 1 || s[1] == ' '))
        return true;
    if (s.back() == ' ' || s.back() == ':')
        return true;
    if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos)
        return true;
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f)
            return true;
    return has_yaml_line_break(s);
}

std::string quote(const std::string& s)
{
    std::string out = "\"";
    for (size_t i = 0; i < s.size(); ++i) {
        size_t len = 0;
        if (const char* esc = yaml_line_break_escape(s, i, len)) {
            out += esc;
            i += len - 1;
            continue;
        }
        unsigned char c = static_cast<unsigned char>(s[i]);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\x%02x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

std::string scalar_yaml(const J& v)
{
    if (v.is_null())
        return "null";
    if (v.is_boolean())
        return v.get<bool>() ? "true" : "false";
    if (v.is_number())
        return v.dump();
    const auto& s = v.get_ref<const std::string&>();
    return needs_quotes(s) ? quote(s) : s;
}

bool is_collection(const J& v) { return (v.is_object() || v.is_array()) && !v.empty(); }

void emit(const J& v, int indent, std::string& out);

void emit_map(const J& v, int indent, std::string& out)
{
    std::string pad(static_cast<size_t>(indent), ' ');
    for (auto it = v.begin(); it != v.end(); ++it) {
        out += pad;
        std::string key = needs_quotes(it.key()) ? quote(it.key()) : it.key();
        if (key.size() > 1000) {
            // YAML limits implicit keys to 1024 characters: longer ones need the explicit
            // `? key` form (found by the fuzzer: an environment variable name that long).
            out += "? " + key + "\n" + pad;
        } else {
            out += key;
        }
        out += ':';
        const J& x = it.value();
        if (is_collection(x)) {
            out += '\n';
            emit(x, indent + 2, out);
        } else if (x.is_object()) {
            out += " {}\n";
        } else if (x.is_array()) {
            out += " []\n";
        } else {
            out += ' ';
            out += scalar_yaml(x);
            out += '\n';
        }
    }
}

void emit_seq(const J& v, int indent, std::string& out)
{
    std::string pad(static_cast<size_t>(indent), ' ');
    for (const auto& x : v) {
        out += pad;
        out += "- ";
        if (x.is_object() && !x.empty()) {
            // The first key goes on the dash line, the rest aligned under it.
            std::string inner;
            emit_map(x, indent + 2, inner);
            out += inner.substr(static_cast<size_t>(indent + 2));
        } else if (x.is_array() && !x.empty()) {
            std::string inner;
            emit_seq(x, indent + 2, inner);
            out += inner.substr(static_cast<size_t>(indent + 2));
        } else if (x.is_object()) {
            out += "{}\n";
        } else if (x.is_array()) {
            out += "[]\n";
        } else {
            out += scalar_yaml(x);
            out += '\n';
        }
    }
}

void emit(const J& v, int indent, std::string& out)
{
    if (v.is_object())
        emit_map(v, indent, out);
    else if (v.is_array())
        emit_seq(v, indent, out);
    else
        out += std::string(static_cast<size_t>(indent), ' ') + scalar_yaml(v) + "\n";
}

} // namespace

namespace {

void escape_dollars(J& v)
{
    if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        if (s.find('$') == std::string::npos)
            return;
        std::string out;
        for (char c : s) {
            out += c;
            if (c == '$')
                out += '$';
        }
        v = out;
    } else if (v.is_structured()) {
        for (auto& x : v)
            escape_dollars(x);
    }
}

J render(const Project& p, const RenderOptions& options, bool json)
{
    J j = project_json(p, json);
    if (options.escape_dollar)
        escape_dollars(j);
    return j;
}

} // namespace

std::string to_yaml(const Project& p, const RenderOptions& options)
{
    std::string out;
    emit(render(p, options, false), 0, out);
    return out;
}

std::string to_json(const Project& p, const RenderOptions& options)
{
    // NEL and the Unicode line/paragraph separators are valid raw in JSON, but a YAML reader
    // folds them into spaces: escape them (Go's encoding/json escapes U+2028/U+2029 too).
    std::string raw = render(p, options, true).dump(2) + "\n";
    std::string out;
    out.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
        size_t len = 0;
        if (yaml_line_break_escape(raw, i, len)) {
            out += len == 2 ? "\\u0085" : (static_cast<unsigned char>(raw[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029");
            i += len - 1;
        } else {
            out += raw[i];
        }
    }
    return out;
}

std::string service_json(const ServiceConfig& s) { return service_to_json(s).dump(); }


std::string value_to_yaml(const Value& v)
{
    std::string out;
    emit(value_json(v), 0, out);
    return out;
}

} // namespace wharf::compose
