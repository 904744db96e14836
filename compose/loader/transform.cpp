// Node tree → typed model (see transform.h). One function per attribute family.
#include "compose/loader/transform.h"

#include "compose/loader/dotenv.h"
#include "compose/loader/path.h"
#include "compose/loader/port_syntax.h"
#include "compose/loader/scalars.h"
#include "compose/loader/units.h"
#include "compose/loader/volume_syntax.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <set>

namespace wharf::compose::loader {

namespace {

using Path = const std::string&;

std::string base_dir(const Node& n, const TransformContext& ctx)
{
    (void)ctx;
    return n.mark.file ? n.mark.file->base_dir : std::string(".");
}

std::string resolve(const Node& n, const std::string& p, const TransformContext& ctx)
{
    if (!ctx.resolve_paths || p.empty())
        return p;
    return resolve_path(base_dir(n, ctx), p, ctx.home);
}

Extensions extensions(const Node& n)
{
    Extensions x;
    if (n.is_map())
        for (const auto& e : n.entries)
            if (e.key.rfind("x-", 0) == 0)
                x[e.key] = to_value(e.value);
    return x;
}

Result<std::optional<ShellCommand>> command(const Node& n, Path path)
{
    if (n.is_null())
        return std::optional<ShellCommand>(std::nullopt);
    if (n.is_seq())
        return std::optional<ShellCommand>(string_list(n));
    auto r = shell_split(n.text);
    if (!r)
        return node_error(n.mark, path, r.error().message());
    return std::optional<ShellCommand>(*r);
}

Result<std::map<std::string, UlimitsConfig>> ulimits(const Node& n, Path path)
{
    std::map<std::string, UlimitsConfig> out;
    for (const auto& e : n.entries) {
        UlimitsConfig u;
        std::string p = join_path(path, e.key);
        if (e.value.is_map()) {
            if (const Node* s = e.value.find("soft"))
                u.soft = TRY(integer(*s, p + ".soft"));
            if (const Node* h = e.value.find("hard"))
                u.hard = TRY(integer(*h, p + ".hard"));
        } else {
            int64_t v = TRY(integer(e.value, p));
            u.single = v;
            u.soft = v;
            u.hard = v;
        }
        out[e.key] = u;
    }
    return out;
}

Result<std::map<std::string, std::vector<std::string>>> extra_hosts(const Node& n, Path path)
{
    std::map<std::string, std::vector<std::string>> out;
    if (n.is_map()) {
        for (const auto& e : n.entries)
            for (const auto& ip : string_list(e.value))
                out[e.key].push_back(ip);
        return out;
    }
    for (size_t i = 0; i < n.items.size(); ++i) {
        const std::string& t = n.items[i].text;
        // "host=ip" (current) or "host:ip" (legacy; the IP may be IPv6, so split at the first colon).
        auto sep = t.find('=');
        if (sep == std::string::npos)
            sep = t.find(':');
        if (sep == std::string::npos)
            return node_error(n.items[i].mark, path + "[" + std::to_string(i) + "]",
                "invalid extra host \"" + t + "\": expected host=ip");
        std::string ip = t.substr(sep + 1);
        if (ip.size() > 2 && ip.front() == '[' && ip.back() == ']')
            ip = ip.substr(1, ip.size() - 2);
        out[t.substr(0, sep)].push_back(ip);
    }
    return out;
}

Result<std::vector<ServiceConfigObjConfig>> file_refs(const Node& n, Path path)
{
    std::vector<ServiceConfigObjConfig> out;
    for (size_t i = 0; i < n.items.size(); ++i) {
        const Node& it = n.items[i];
        std::string p = path + "[" + std::to_string(i) + "]";
        ServiceConfigObjConfig c;
        if (it.is_scalar()) {
            c.source = it.text;
        } else {
            if (const Node* x = it.find("source")) c.source = str(*x);
            if (const Node* x = it.find("target")) c.target = str(*x);
            if (const Node* x = it.find("uid")) c.uid = str(*x);
            if (const Node* x = it.find("gid")) c.gid = str(*x);
            if (const Node* x = it.find("mode")) c.mode = TRY(file_mode(*x, p + ".mode"));
            c.extensions = extensions(it);
        }
        out.push_back(std::move(c));
    }
    return out;
}

Result<DeviceRequest> device_request(const Node& n, Path path)
{
    DeviceRequest d;
    if (const Node* x = n.find("capabilities")) d.capabilities = string_list(*x);
    if (const Node* x = n.find("driver")) d.driver = str(*x);
    if (const Node* x = n.find("count")) {
        if (x->text == "all")
            d.count = -1;
        else
            d.count = TRY(integer(*x, path + ".count"));
    }
    if (const Node* x = n.find("device_ids")) d.device_ids = string_list(*x);
    if (const Node* x = n.find("options")) d.options = mapping(*x);
    return d;
}

Result<Resource> resource(const Node& n, Path path)
{
    Resource r;
    if (const Node* x = n.find("cpus")) r.cpus = TRY(number(*x, path + ".cpus"));
    if (const Node* x = n.find("memory")) r.memory = TRY(bytes(*x, path + ".memory"));
    if (const Node* x = n.find("pids")) r.pids = TRY(integer(*x, path + ".pids"));
    if (const Node* x = n.find("devices"))
        for (size_t i = 0; i < x->items.size(); ++i)
            r.devices.push_back(TRY(device_request(x->items[i], path + ".devices[" + std::to_string(i) + "]")));
    return r;
}

Result<UpdateConfig> update_config(const Node& n, Path path)
{
    UpdateConfig u;
    if (const Node* x = n.find("parallelism")) u.parallelism = static_cast<uint64_t>(TRY(integer(*x, path + ".parallelism")));
    if (const Node* x = n.find("delay")) u.delay = TRY(duration(*x, path + ".delay"));
    if (const Node* x = n.find("failure_action")) u.failure_action = str(*x);
    if (const Node* x = n.find("monitor")) u.monitor = TRY(duration(*x, path + ".monitor"));
    if (const Node* x = n.find("max_failure_ratio")) u.max_failure_ratio = TRY(number(*x, path + ".max_failure_ratio"));
    if (const Node* x = n.find("order")) u.order = str(*x);
    return u;
}

Result<DeployConfig> deploy(const Node& n, Path path)
{
    DeployConfig d;
    if (n.is_null())
        return d;
    if (const Node* x = n.find("mode")) d.mode = str(*x);
    if (const Node* x = n.find("replicas")) d.replicas = TRY(integer(*x, path + ".replicas"));
    if (const Node* x = n.find("labels")) d.labels = mapping(*x);
    if (const Node* x = n.find("update_config")) d.update_config = TRY(update_config(*x, path + ".update_config"));
    if (const Node* x = n.find("rollback_config")) d.rollback_config = TRY(update_config(*x, path + ".rollback_config"));
    if (const Node* r = n.find("resources")) {
        if (const Node* x = r->find("limits")) d.resources.limits = TRY(resource(*x, path + ".resources.limits"));
        if (const Node* x = r->find("reservations"))
            d.resources.reservations = TRY(resource(*x, path + ".resources.reservations"));
    }
    if (const Node* r = n.find("restart_policy")) {
        RestartPolicy p;
        if (const Node* x = r->find("condition")) p.condition = str(*x);
        if (const Node* x = r->find("delay")) p.delay = TRY(duration(*x, path + ".restart_policy.delay"));
        if (const Node* x = r->find("max_attempts"))
            p.max_attempts = static_cast<uint64_t>(TRY(integer(*x, path + ".restart_policy.max_attempts")));
        if (const Node* x = r->find("window")) p.window = TRY(duration(*x, path + ".restart_policy.window"));
        d.restart_policy = p;
    }
    if (const Node* p = n.find("placement")) {
        Placement pl;
        if (const Node* x = p->find("constraints")) pl.constraints = string_list(*x);
        if (const Node* x = p->find("preferences"))
            for (const auto& i : x->items)
                if (const Node* s = i.find("spread"))
                    pl.preferences.push_back(str(*s));
        if (const Node* x = p->find("max_replicas_per_node"))
            pl.max_replicas_per_node = static_cast<uint64_t>(TRY(integer(*x, path + ".placement.max_replicas_per_node")));
        d.placement = pl;
    }
    if (const Node* x = n.find("endpoint_mode")) d.endpoint_mode = str(*x);
    d.extensions = extensions(n);
    return d;
}

Result<HealthCheckConfig> healthcheck(const Node& n, Path path)
{
    HealthCheckConfig h;
    if (const Node* t = n.find("test")) {
        if (t->is_seq())
            h.test = string_list(*t);
        else if (!t->is_null())
            h.test = std::vector<std::string>{"CMD-SHELL", t->text};
    }
    if (const Node* x = n.find("interval")) h.interval = TRY(duration(*x, path + ".interval"));
    if (const Node* x = n.find("timeout")) h.timeout = TRY(duration(*x, path + ".timeout"));
    if (const Node* x = n.find("start_period")) h.start_period = TRY(duration(*x, path + ".start_period"));
    if (const Node* x = n.find("start_interval")) h.start_interval = TRY(duration(*x, path + ".start_interval"));
    if (const Node* x = n.find("retries")) h.retries = static_cast<uint64_t>(TRY(number(*x, path + ".retries")));
    if (const Node* x = n.find("disable")) h.disable = TRY(boolean(*x, path + ".disable"));
    h.extensions = extensions(n);
    return h;
}

Result<BuildConfig> build(const Node& n, Path path, TransformContext& ctx)
{
    BuildConfig b;
    if (n.is_scalar()) {
        b.context = is_remote_context(n.text) ? n.text : resolve(n, n.text, ctx);
        b.dockerfile = "Dockerfile";
        return b;
    }
    const Node* c = n.find("context");
    std::string context = c ? str(*c) : ".";
    b.context = is_remote_context(context) ? context : resolve(c ? *c : n, context, ctx);
    if (const Node* x = n.find("dockerfile")) b.dockerfile = str(*x);
    if (const Node* x = n.find("dockerfile_inline")) b.dockerfile_inline = str(*x);
    if (b.dockerfile.empty() && b.dockerfile_inline.empty())
        b.dockerfile = "Dockerfile";
    if (const Node* x = n.find("entitlements")) b.entitlements = string_list(*x);
    if (const Node* x = n.find("args")) {
        TRY(check_keyed_list(*x, path + ".args"));
        b.args = mapping_with_equals(*x, ctx.environment);
    }
    if (const Node* x = n.find("ssh")) {
        if (x->is_map())
            for (const auto& e : x->entries)
                b.ssh.push_back(e.value.is_null() ? e.key : e.key + "=" + e.value.text);
        else
            b.ssh = string_list(*x);
    }
    if (const Node* x = n.find("labels")) b.labels = mapping(*x);
    if (const Node* x = n.find("cache_from")) b.cache_from = string_list(*x);
    if (const Node* x = n.find("cache_to")) b.cache_to = string_list(*x);
    if (const Node* x = n.find("no_cache")) b.no_cache = TRY(boolean(*x, path + ".no_cache"));
    if (const Node* x = n.find("additional_contexts")) {
        Mapping m = mapping(*x);
        for (auto& [k, v] : m)
            if (!is_remote_context(v) && v.find(':') == std::string::npos)
                v = resolve(*x, v, ctx);
        b.additional_contexts = m;
    }
    if (const Node* x = n.find("network")) b.network = str(*x);
    if (const Node* x = n.find("pull")) b.pull = TRY(boolean(*x, path + ".pull"));
    if (const Node* x = n.find("target")) b.target = str(*x);
    if (const Node* x = n.find("shm_size")) b.shm_size = TRY(bytes(*x, path + ".shm_size"));
    if (const Node* x = n.find("extra_hosts")) b.extra_hosts = TRY(extra_hosts(*x, path + ".extra_hosts"));
    if (const Node* x = n.find("isolation")) b.isolation = str(*x);
    if (const Node* x = n.find("privileged")) b.privileged = TRY(boolean(*x, path + ".privileged"));
    if (const Node* x = n.find("secrets")) b.secrets = TRY(file_refs(*x, path + ".secrets"));
    if (const Node* x = n.find("tags")) b.tags = string_list(*x);
    if (const Node* x = n.find("ulimits")) b.ulimits = TRY(ulimits(*x, path + ".ulimits"));
    if (const Node* x = n.find("platforms")) b.platforms = string_list(*x);
    b.extensions = extensions(n);
    return b;
}

Result<std::vector<PortConfig>> ports(const Node& n, Path path)
{
    std::vector<PortConfig> out;
    for (size_t i = 0; i < n.items.size(); ++i) {
        const Node& it = n.items[i];
        std::string p = path + "[" + std::to_string(i) + "]";
        if (it.is_scalar()) {
            auto r = parse_port_spec(it.text);
            if (!r)
                return node_error(it.mark, p, r.error().message());
            for (auto& pc : *r)
                out.push_back(std::move(pc));
            continue;
        }
        PortConfig pc;
        if (const Node* x = it.find("name")) pc.name = str(*x);
        if (const Node* x = it.find("mode")) pc.mode = str(*x);
        if (const Node* x = it.find("host_ip")) pc.host_ip = str(*x);
        if (const Node* x = it.find("target")) {
            int64_t t = TRY(integer(*x, p + ".target"));
            if (t < 1 || t > 65535)
                return node_error(x->mark, p + ".target", "port " + x->text + " is out of range (1-65535)");
            pc.target = static_cast<uint32_t>(t);
        } else {
            return node_error(it.mark, p, "missing required property \"target\"");
        }
        if (const Node* x = it.find("published")) pc.published = str(*x);
        if (const Node* x = it.find("protocol")) pc.protocol = str(*x);
        if (const Node* x = it.find("app_protocol")) pc.app_protocol = str(*x);
        if (pc.mode.empty())
            pc.mode = "ingress";
        if (pc.protocol.empty())
            pc.protocol = "tcp";
        pc.extensions = extensions(it);
        out.push_back(std::move(pc));
    }
    return out;
}

Result<std::vector<ServiceVolumeConfig>> volumes(const Node& n, Path path, TransformContext& ctx)
{
    std::vector<ServiceVolumeConfig> out;
    for (size_t i = 0; i < n.items.size(); ++i) {
        const Node& it = n.items[i];
        std::string p = path + "[" + std::to_string(i) + "]";
        ServiceVolumeConfig v;
        if (it.is_scalar()) {
            std::vector<std::string> ignored;
            auto r = parse_volume_spec(it.text, ignored);
            if (!r)
                return node_error(it.mark, p, r.error().message());
            v = std::move(*r);
            for (const auto& o : ignored)
                ctx.warnings.push_back(p + ": unknown volume option \"" + o + "\" in \"" + it.text + "\" is ignored");
        } else {
            const Node* t = it.find("type");
            auto type = parse_volume_type(t ? t->text : "volume");
            v.type = type.value_or(VolumeType::Volume);
            if (const Node* x = it.find("source")) v.source = str(*x);
            if (const Node* x = it.find("target")) v.target = str(*x);
            if (const Node* x = it.find("read_only")) v.read_only = TRY(boolean(*x, p + ".read_only"));
            if (const Node* x = it.find("consistency")) v.consistency = str(*x);
            if (const Node* b = it.find("bind")) {
                ServiceVolumeBind vb;
                if (const Node* x = b->find("propagation")) vb.propagation = str(*x);
                if (const Node* x = b->find("create_host_path")) vb.create_host_path = TRY(boolean(*x, p + ".bind.create_host_path"));
                if (const Node* x = b->find("selinux")) vb.selinux = str(*x);
                if (const Node* x = b->find("recursive")) vb.recursive = str(*x);
                v.bind = vb;
            }
            if (const Node* b = it.find("volume")) {
                ServiceVolumeVolume vv;
                if (const Node* x = b->find("nocopy")) vv.nocopy = TRY(boolean(*x, p + ".volume.nocopy"));
                if (const Node* x = b->find("subpath")) vv.subpath = str(*x);
                if (const Node* x = b->find("labels")) vv.labels = mapping(*x);
                v.volume = vv;
            }
            if (const Node* b = it.find("tmpfs")) {
                ServiceVolumeTmpfs vt;
                if (const Node* x = b->find("size")) vt.size = TRY(bytes(*x, p + ".tmpfs.size"));
                if (const Node* x = b->find("mode")) vt.mode = TRY(file_mode(*x, p + ".tmpfs.mode"));
                v.tmpfs = vt;
            }
            if (const Node* b = it.find("image")) {
                ServiceVolumeImage vi;
                if (const Node* x = b->find("subpath")) vi.subpath = str(*x);
                v.image = vi;
            }
            v.extensions = extensions(it);
            if (v.target.empty())
                return node_error(it.mark, p, "missing required property \"target\"");
            if (v.type == VolumeType::Bind && v.source.empty())
                return node_error(it.mark, p, "a bind mount needs a source");
        }
        if (v.type == VolumeType::Bind)
            v.source = resolve(it, v.source, ctx);
        out.push_back(std::move(v));
    }
    return out;
}

Result<std::vector<DeviceMapping>> devices(const Node& n, Path path)
{
    std::vector<DeviceMapping> out;
    for (size_t i = 0; i < n.items.size(); ++i) {
        const Node& it = n.items[i];
        DeviceMapping d;
        if (it.is_scalar()) {
            std::vector<std::string> parts;
            size_t start = 0;
            for (size_t k = 0; k <= it.text.size(); ++k)
                if (k == it.text.size() || it.text[k] == ':') {
                    parts.push_back(it.text.substr(start, k - start));
                    start = k + 1;
                }
            if (parts.size() > 3 || parts[0].empty())
                return node_error(it.mark, path + "[" + std::to_string(i) + "]", "invalid device \"" + it.text + "\"");
            // Empty parts take the defaults, as in the long form ("/dev/x:" = "/dev/x:/dev/x").
            d.source = parts[0];
            d.target = parts.size() > 1 && !parts[1].empty() ? parts[1] : parts[0];
            d.permissions = parts.size() > 2 && !parts[2].empty() ? parts[2] : "rwm";
        } else {
            if (const Node* x = it.find("source")) d.source = str(*x);
            if (const Node* x = it.find("target")) d.target = str(*x);
            if (const Node* x = it.find("permissions")) d.permissions = str(*x);
            if (d.target.empty())
                d.target = d.source;
            if (d.permissions.empty())
                d.permissions = "rwm";
        }
        out.push_back(std::move(d));
    }
    return out;
}

Result<std::vector<EnvFile>> env_files(const Node& n, Path path, TransformContext& ctx)
{
    std::vector<EnvFile> out;
    Node list = n;
    if (!n.is_seq()) {
        list = Node::seq(n.mark);
        list.items.push_back(n);
    }
    for (size_t i = 0; i < list.items.size(); ++i) {
        const Node& it = list.items[i];
        EnvFile f;
        if (it.is_scalar()) {
            f.path = resolve(it, it.text, ctx);
        } else {
            const Node* p = it.find("path");
            f.path = p ? resolve(*p, p->text, ctx) : "";
            if (const Node* x = it.find("required")) f.required = TRY(boolean(*x, path + "[" + std::to_string(i) + "].required"));
            if (const Node* x = it.find("format")) f.format = str(*x);
        }
        out.push_back(std::move(f));
    }
    return out;
}

Result<ServiceHook> hook(const Node& n, Path path, TransformContext& ctx)
{
    ServiceHook h;
    if (const Node* x = n.find("command")) h.command = TRY(command(*x, path + ".command")).value_or(ShellCommand{});
    if (const Node* x = n.find("user")) h.user = str(*x);
    if (const Node* x = n.find("privileged")) h.privileged = TRY(boolean(*x, path + ".privileged"));
    if (const Node* x = n.find("working_dir")) h.working_dir = str(*x);
    if (const Node* x = n.find("environment")) {
        TRY(check_keyed_list(*x, path + ".environment"));
        h.environment = mapping_with_equals(*x, ctx.environment);
    }
    return h;
}

// Attributes the schema accepts but wharf does not model: kept out of the Project, with a warning.
const std::set<std::string, std::less<>> kUnmodelled = {"blkio_config", "cpu_count", "cpu_percent", "cpu_rt_period",
    "cpu_rt_runtime", "credential_spec", "models", "provider", "pull_refresh_after", "use_api_socket", "pre_start"};

} // namespace

Value to_value(const Node& n)
{
    Value v;
    switch (n.kind) {
    case Node::Kind::Null: return v;
    case Node::Kind::Seq:
        v.kind = Value::Kind::Seq;
        for (const auto& i : n.items)
            v.seq.push_back(to_value(i));
        return v;
    case Node::Kind::Map:
        v.kind = Value::Kind::Map;
        for (const auto& e : n.entries)
            v.map[e.key] = to_value(e.value);
        return v;
    case Node::Kind::Scalar: break;
    }
    v.s = n.text;
    switch (n.scalar_type()) {
    case Node::Scalar::Null: v.kind = Value::Kind::Null; v.s.clear(); break;
    case Node::Scalar::Bool:
        v.kind = Value::Kind::Bool;
        v.b = n.text[0] == 't' || n.text[0] == 'T';
        break;
    case Node::Scalar::Int:
        v.kind = Value::Kind::Int;
        try {
            v.i = std::stoll(n.text, nullptr, 0);
        } catch (const std::exception&) {
            v.kind = Value::Kind::String;
        }
        break;
    case Node::Scalar::Float:
        v.kind = Value::Kind::Float;
        v.f = std::strtod(n.text.c_str(), nullptr);
        break;
    case Node::Scalar::String: v.kind = Value::Kind::String; break;
    }
    return v;
}

Result<std::vector<std::string>> shell_split(const std::string& s)
{
    std::vector<std::string> out;
    std::string cur;
    bool in_word = false;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '\\' && i + 1 < s.size()) {
            cur += s[++i];
            in_word = true;
        } else if (c == '\'') {
            auto end = s.find('\'', i + 1);
            if (end == std::string::npos)
                return Error(Errc::Invalid, "invalid command \"" + s + "\": unterminated single quote");
            cur += s.substr(i + 1, end - i - 1);
            i = end;
            in_word = true;
        } else if (c == '"') {
            size_t j = i + 1;
            for (; j < s.size() && s[j] != '"'; ++j) {
                if (s[j] == '\\' && j + 1 < s.size() && (s[j + 1] == '"' || s[j + 1] == '\\' || s[j + 1] == '$'))
                    ++j;
                cur += s[j];
            }
            if (j >= s.size())
                return Error(Errc::Invalid, "invalid command \"" + s + "\": unterminated double quote");
            i = j;
            in_word = true;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (in_word) {
                out.push_back(cur);
                cur.clear();
                in_word = false;
            }
        } else {
            cur += c;
            in_word = true;
        }
    }
    if (in_word)
        out.push_back(cur);
    return out;
}

Result<ServiceConfig> transform_service(const std::string& name, const Node& n, TransformContext& ctx)
{
    ServiceConfig s;
    s.name = name;
    const std::string path = "services." + name;
    auto p = [&](const std::string& key) { return path + "." + key; };
    Mapping label_file_labels;
    std::vector<EnvFile> env_file_list;
    for (const auto& e : n.entries) {
        const std::string& k = e.key;
        const Node& v = e.value;
        if (k.rfind("x-", 0) == 0) {
            s.extensions[k] = to_value(v);
        } else if (k == "profiles") s.profiles = string_list(v);
        else if (k == "annotations") {
            TRY(check_keyed_list(v, p(k)));
            s.annotations = mapping(v);
        }
        else if (k == "attach") s.attach = TRY(boolean(v, p(k)));
        else if (k == "build") s.build = TRY(build(v, p(k), ctx));
        else if (k == "develop") {
            DevelopConfig d;
            if (const Node* w = v.find("watch"))
                for (size_t i = 0; i < w->items.size(); ++i) {
                    const Node& t = w->items[i];
                    Trigger tr;
                    if (const Node* x = t.find("path")) tr.path = resolve(*x, x->text, ctx);
                    if (const Node* x = t.find("action")) tr.action = str(*x);
                    if (const Node* x = t.find("target")) tr.target = str(*x);
                    if (const Node* x = t.find("ignore")) tr.ignore = string_list(*x);
                    if (const Node* x = t.find("include")) tr.include = string_list(*x);
                    if (const Node* x = t.find("initial_sync")) tr.initial_sync = TRY(boolean(*x, p(k) + ".initial_sync"));
                    tr.extensions = extensions(t);
                    d.watch.push_back(std::move(tr));
                }
            d.extensions = extensions(v);
            s.develop = std::move(d);
        }
        else if (k == "cap_add") s.cap_add = string_list(v);
        else if (k == "cap_drop") s.cap_drop = string_list(v);
        else if (k == "cgroup_parent") s.cgroup_parent = str(v);
        else if (k == "cgroup") s.cgroup = str(v);
        else if (k == "cpus") s.cpus = TRY(number(v, p(k)));
        else if (k == "cpu_shares") s.cpu_shares = TRY(integer(v, p(k)));
        else if (k == "cpu_quota") s.cpu_quota = TRY(integer(v, p(k)));
        else if (k == "cpu_period") s.cpu_period = TRY(integer(v, p(k)));
        else if (k == "cpuset") s.cpuset = str(v);
        else if (k == "command") s.command = TRY(command(v, p(k)));
        else if (k == "entrypoint") s.entrypoint = TRY(command(v, p(k)));
        else if (k == "configs") s.configs = TRY(file_refs(v, p(k)));
        else if (k == "secrets") s.secrets = TRY(file_refs(v, p(k)));
        else if (k == "container_name") s.container_name = str(v);
        else if (k == "depends_on") {
            if (v.is_seq()) {
                for (const auto& i : v.items)
                    s.depends_on[i.text] = ServiceDependency{};
            } else {
                for (const auto& d : v.entries) {
                    ServiceDependency dep;
                    std::string dp = p(k) + "." + d.key;
                    if (const Node* x = d.value.find("condition")) {
                        auto c = parse_service_condition(x->text);
                        if (!c)
                            return node_error(x->mark, dp + ".condition", "invalid condition \"" + x->text + "\"");
                        dep.condition = *c;
                    }
                    if (const Node* x = d.value.find("restart")) dep.restart = TRY(boolean(*x, dp + ".restart"));
                    if (const Node* x = d.value.find("required")) dep.required = TRY(boolean(*x, dp + ".required"));
                    dep.extensions = extensions(d.value);
                    s.depends_on[d.key] = dep;
                }
            }
        }
        else if (k == "deploy") s.deploy = TRY(deploy(v, p(k)));
        else if (k == "device_cgroup_rules") s.device_cgroup_rules = string_list(v);
        else if (k == "devices") s.devices = TRY(devices(v, p(k)));
        else if (k == "dns") s.dns = string_list(v);
        else if (k == "dns_opt") s.dns_opt = string_list(v);
        else if (k == "dns_search") s.dns_search = string_list(v);
        else if (k == "domainname") s.domainname = str(v);
        else if (k == "environment") {
            TRY(check_keyed_list(v, p(k)));
            s.environment = mapping_with_equals(v, ctx.environment);
        }
        else if (k == "env_file") env_file_list = TRY(env_files(v, p(k), ctx));
        else if (k == "expose") s.expose = string_list(v);
        else if (k == "extends") {
            // Applied by the loader before transformation; nothing left to keep.
        }
        else if (k == "external_links") s.external_links = string_list(v);
        else if (k == "extra_hosts") s.extra_hosts = TRY(extra_hosts(v, p(k)));
        else if (k == "group_add") s.group_add = string_list(v);
        else if (k == "gpus") {
            if (v.is_scalar()) {
                DeviceRequest all;
                all.count = -1;
                s.gpus.push_back(all);
            } else {
                for (size_t i = 0; i < v.items.size(); ++i)
                    s.gpus.push_back(TRY(device_request(v.items[i], p(k) + "[" + std::to_string(i) + "]")));
            }
        }
        else if (k == "hostname") s.hostname = str(v);
        else if (k == "healthcheck") s.healthcheck = TRY(healthcheck(v, p(k)));
        else if (k == "image") s.image = str(v);
        else if (k == "init") s.init = TRY(boolean(v, p(k)));
        else if (k == "ipc") s.ipc = str(v);
        else if (k == "isolation") s.isolation = str(v);
        else if (k == "labels") {
            TRY(check_keyed_list(v, p(k)));
            s.labels = mapping(v);
        }
        else if (k == "label_file") {
            for (const auto& f : string_list(v)) {
                std::string fp = resolve(v, f, ctx);
                auto text = ctx.read_file(fp);
                if (!text)
                    return node_error(v.mark, p(k), "label file " + fp + " not found");
                auto parsed = parse_dotenv(*text, fp, [](const std::string&) { return std::nullopt; });
                if (!parsed)
                    return node_error(v.mark, p(k), parsed.error().message());
                for (auto& [lk, lv] : *parsed)
                    label_file_labels[lk] = lv;
            }
        }
        else if (k == "links") s.links = string_list(v);
        else if (k == "logging") {
            LoggingConfig l;
            if (const Node* x = v.find("driver")) l.driver = str(*x);
            if (const Node* x = v.find("options")) l.options = mapping(*x);
            s.logging = l;
        }
        else if (k == "mac_address") s.mac_address = str(v);
        else if (k == "mem_limit") s.mem_limit = TRY(bytes(v, p(k)));
        else if (k == "mem_reservation") s.mem_reservation = TRY(bytes(v, p(k)));
        else if (k == "memswap_limit") {
            if (v.text == "-1") s.memswap_limit = -1;
            else s.memswap_limit = TRY(bytes(v, p(k)));
        }
        else if (k == "mem_swappiness") s.mem_swappiness = TRY(integer(v, p(k)));
        else if (k == "network_mode") s.network_mode = str(v);
        else if (k == "networks") {
            if (v.is_seq()) {
                for (const auto& i : v.items)
                    s.networks[i.text] = std::nullopt;
            } else {
                for (const auto& ne : v.entries) {
                    if (ne.value.is_null()) {
                        s.networks[ne.key] = std::nullopt;
                        continue;
                    }
                    std::string np = p(k) + "." + ne.key;
                    ServiceNetworkConfig c;
                    const Node& nv = ne.value;
                    if (const Node* x = nv.find("aliases")) c.aliases = string_list(*x);
                    if (const Node* x = nv.find("ipv4_address")) c.ipv4_address = str(*x);
                    if (const Node* x = nv.find("ipv6_address")) c.ipv6_address = str(*x);
                    if (const Node* x = nv.find("link_local_ips")) c.link_local_ips = string_list(*x);
                    if (const Node* x = nv.find("mac_address")) c.mac_address = str(*x);
                    if (const Node* x = nv.find("interface_name")) c.interface_name = str(*x);
                    if (const Node* x = nv.find("driver_opts")) c.driver_opts = mapping(*x);
                    if (const Node* x = nv.find("priority")) c.priority = TRY(integer(*x, np + ".priority"));
                    if (const Node* x = nv.find("gw_priority")) c.gw_priority = TRY(integer(*x, np + ".gw_priority"));
                    c.extensions = extensions(nv);
                    s.networks[ne.key] = std::move(c);
                }
            }
        }
        else if (k == "oom_kill_disable") s.oom_kill_disable = TRY(boolean(v, p(k)));
        else if (k == "oom_score_adj") s.oom_score_adj = TRY(integer(v, p(k)));
        else if (k == "pid") s.pid = str(v);
        else if (k == "pids_limit") s.pids_limit = TRY(integer(v, p(k)));
        else if (k == "platform") s.platform = str(v);
        else if (k == "ports") s.ports = TRY(ports(v, p(k)));
        else if (k == "privileged") s.privileged = TRY(boolean(v, p(k)));
        else if (k == "pull_policy") s.pull_policy = str(v);
        else if (k == "read_only") s.read_only = TRY(boolean(v, p(k)));
        else if (k == "restart") s.restart = str(v);
        else if (k == "runtime") s.runtime = str(v);
        else if (k == "scale") s.scale = TRY(integer(v, p(k)));
        else if (k == "security_opt") s.security_opt = string_list(v);
        else if (k == "shm_size") s.shm_size = TRY(bytes(v, p(k)));
        else if (k == "stdin_open") s.stdin_open = TRY(boolean(v, p(k)));
        else if (k == "stop_grace_period") s.stop_grace_period = TRY(duration(v, p(k)));
        else if (k == "stop_signal") s.stop_signal = str(v);
        else if (k == "storage_opt") s.storage_opt = mapping(v);
        else if (k == "sysctls") s.sysctls = mapping(v);
        else if (k == "tmpfs") s.tmpfs = string_list(v);
        else if (k == "tty") s.tty = TRY(boolean(v, p(k)));
        else if (k == "ulimits") s.ulimits = TRY(ulimits(v, p(k)));
        else if (k == "user") s.user = str(v);
        else if (k == "userns_mode") s.userns_mode = str(v);
        else if (k == "uts") s.uts = str(v);
        else if (k == "volumes") s.volumes = TRY(volumes(v, p(k), ctx));
        else if (k == "volumes_from") s.volumes_from = string_list(v);
        else if (k == "working_dir") s.working_dir = str(v);
        else if (k == "post_start" || k == "pre_stop") {
            auto& list = k == "post_start" ? s.post_start : s.pre_stop;
            for (size_t i = 0; i < v.items.size(); ++i)
                list.push_back(TRY(hook(v.items[i], p(k) + "[" + std::to_string(i) + "]", ctx)));
        }
        else if (kUnmodelled.count(k)) {
            ctx.warnings.push_back(p(k) + ": not supported by wharf, ignored");
        }
    }
    for (const auto& [lk, lv] : label_file_labels)
        s.labels.emplace(lk, lv); // `labels:` wins over label_file
    // env_file values fill what `environment:` does not set (later files win among env_files).
    if (!env_file_list.empty()) {
        Environment from_files;
        for (const auto& f : env_file_list) {
            if (!ctx.interpolate || !ctx.read_env_files)
                break;
            auto text = ctx.read_file(f.path);
            if (!text) {
                if (f.required)
                    return node_error(n.find("env_file")->mark, p("env_file"),
                        "env file " + f.path + " not found");
                continue;
            }
            const Environment& env = ctx.environment;
            auto parsed = parse_dotenv(*text, f.path,
                [&](const std::string& key) -> std::optional<std::string> {
                    auto it = env.find(key);
                    if (it == env.end())
                        return std::nullopt;
                    return it->second;
                },
                f.format == "raw");
            if (!parsed)
                return node_error(n.find("env_file")->mark, p("env_file"), parsed.error().message());
            for (auto& [ek, ev] : *parsed)
                from_files[ek] = ev;
        }
        for (auto& [ek, ev] : from_files)
            if (!s.environment.count(ek))
                s.environment[ek] = ev;
        s.env_files = std::move(env_file_list);
    }
    return s;
}

Result<NetworkConfig> transform_network(const std::string& key, const Node& n, TransformContext& ctx)
{
    (void)ctx;
    NetworkConfig c;
    std::string path = "networks." + key;
    if (n.is_null())
        return c;
    if (const Node* x = n.find("name")) c.name = str(*x);
    if (const Node* x = n.find("driver")) c.driver = str(*x);
    if (const Node* x = n.find("driver_opts")) c.driver_opts = mapping(*x);
    if (const Node* i = n.find("ipam")) {
        if (const Node* x = i->find("driver")) c.ipam.driver = str(*x);
        if (const Node* x = i->find("options")) c.ipam.options = mapping(*x);
        if (const Node* cfg = i->find("config"))
            for (const auto& pool : cfg->items) {
                IPAMPool p;
                if (const Node* x = pool.find("subnet")) p.subnet = str(*x);
                if (const Node* x = pool.find("gateway")) p.gateway = str(*x);
                if (const Node* x = pool.find("ip_range")) p.ip_range = str(*x);
                if (const Node* x = pool.find("aux_addresses")) p.aux_addresses = mapping(*x);
                c.ipam.config.push_back(std::move(p));
            }
    }
    if (const Node* x = n.find("external")) {
        if (x->is_map()) {
            c.external = true;
            if (const Node* nm = x->find("name"))
                c.name = str(*nm);
        } else {
            c.external = TRY(boolean(*x, path + ".external"));
        }
    }
    if (const Node* x = n.find("internal")) c.internal = TRY(boolean(*x, path + ".internal"));
    if (const Node* x = n.find("attachable")) c.attachable = TRY(boolean(*x, path + ".attachable"));
    if (const Node* x = n.find("labels")) c.labels = mapping(*x);
    if (const Node* x = n.find("enable_ipv4")) c.enable_ipv4 = TRY(boolean(*x, path + ".enable_ipv4"));
    if (const Node* x = n.find("enable_ipv6")) c.enable_ipv6 = TRY(boolean(*x, path + ".enable_ipv6"));
    c.extensions = extensions(n);
    return c;
}

Result<VolumeConfig> transform_volume(const std::string& key, const Node& n, TransformContext& ctx)
{
    (void)ctx;
    VolumeConfig c;
    if (n.is_null())
        return c;
    if (const Node* x = n.find("name")) c.name = str(*x);
    if (const Node* x = n.find("driver")) c.driver = str(*x);
    if (const Node* x = n.find("driver_opts")) c.driver_opts = mapping(*x);
    if (const Node* x = n.find("external")) {
        if (x->is_map()) {
            c.external = true;
            if (const Node* nm = x->find("name"))
                c.name = str(*nm);
        } else {
            c.external = TRY(boolean(*x, "volumes." + key + ".external"));
        }
    }
    if (const Node* x = n.find("labels")) c.labels = mapping(*x);
    c.extensions = extensions(n);
    return c;
}

Result<FileObjectConfig> transform_file_object(const std::string& path, const Node& n, TransformContext& ctx)
{
    FileObjectConfig c;
    if (const Node* x = n.find("name")) c.name = str(*x);
    if (const Node* x = n.find("file")) c.file = resolve(*x, x->text, ctx);
    if (const Node* x = n.find("environment")) c.environment = str(*x);
    if (const Node* x = n.find("content")) c.content = str(*x);
    if (const Node* x = n.find("external")) {
        if (x->is_map()) {
            c.external = true;
            if (const Node* nm = x->find("name"))
                c.name = str(*nm);
        } else {
            c.external = TRY(boolean(*x, path + ".external"));
        }
    }
    if (const Node* x = n.find("labels")) c.labels = mapping(*x);
    if (const Node* x = n.find("driver")) c.driver = str(*x);
    if (const Node* x = n.find("driver_opts")) c.driver_opts = mapping(*x);
    if (const Node* x = n.find("template_driver")) c.template_driver = str(*x);
    c.extensions = extensions(n);
    int sources = (!c.file.empty()) + (!c.environment.empty()) + (n.find("content") != nullptr) + c.external;
    if (sources == 0)
        return node_error(n.mark, path, "one of file, environment, content or external must be set");
    return c;
}

} // namespace wharf::compose::loader
