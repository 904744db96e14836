#include "compose/plan/reconcile.h"

#include "compose/plan/config_hash.h"
#include "compose/plan/labels.h"
#include "compose/plan/network_hash.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace wharf::compose {

std::string label_of(const engine::ContainerRecord& r, const std::string& key)
{
    auto it = r.config.labels.find(key);
    return it == r.config.labels.end() ? std::string() : it->second;
}

int container_number(const engine::ContainerRecord& r)
{
    std::string n = label_of(r, labels::kContainerNumber);
    if (n.empty() || n.size() > 6 || !std::all_of(n.begin(), n.end(), ::isdigit))
        return 0;
    return std::stoi(n);
}

bool is_oneoff(const engine::ContainerRecord& r) { return label_of(r, labels::kOneoff) == "True"; }

namespace {

bool active(const engine::ContainerRecord& r)
{
    return r.state.status == engine::ContainerStatus::Running || r.state.status == engine::ContainerStatus::Restarting ||
           r.state.status == engine::ContainerStatus::Paused;
}

std::string join(const std::vector<std::string>& v, const std::string& sep)
{
    std::string out;
    for (const auto& x : v)
        out += (out.empty() ? "" : sep) + x;
    return out;
}

std::string short_id(const std::string& id)
{
    auto colon = id.find(':');
    std::string hex = colon == std::string::npos ? id : id.substr(colon + 1);
    return hex.substr(0, 12);
}

std::string stopped_cause(const engine::ContainerRecord& r)
{
    if (r.state.status == engine::ContainerStatus::Created)
        return "container created but not started";
    return "container exited (" + std::to_string(r.state.exit_code) + ")";
}

// Containers of `service` (not one-offs), by replica number then name.
std::vector<const engine::ContainerRecord*> containers_of(const ObservedState& o, const std::string& project,
                                                          const std::string& service)
{
    std::vector<const engine::ContainerRecord*> out;
    for (const auto& r : o.containers)
        if (label_of(r, labels::kProject) == project && label_of(r, labels::kService) == service && !is_oneoff(r))
            out.push_back(&r);
    std::stable_sort(out.begin(), out.end(), [](auto* a, auto* b) {
        return std::pair(container_number(*a), a->config.name) < std::pair(container_number(*b), b->config.name);
    });
    return out;
}

WaitFor wait_for(ServiceCondition c)
{
    return c == ServiceCondition::Healthy ? WaitFor::Healthy
         : c == ServiceCondition::CompletedSuccessfully ? WaitFor::CompletedSuccessfully
                                                        : WaitFor::Started;
}

class UpPlanner {
public:
    UpPlanner(const Project& p, const ServiceGraph& g, const ObservedState& o, const UpOptions& opt)
        : m_p(p), m_g(g), m_o(o), m_opt(opt)
    {
    }

    Result<Plan> run()
    {
        std::set<std::string> selected;
        for (const auto& s : m_opt.services)
            if (!m_p.services.count(s))
                return Error(Errc::NotFound, "no such service: " + s);
        if (m_opt.services.empty())
            for (const auto& [n, _] : m_p.services)
                selected.insert(n);
        else if (m_opt.no_deps)
            selected.insert(m_opt.services.begin(), m_opt.services.end());
        else
            selected = m_g.closure(m_opt.services, Direction::Up);
        for (const auto& [svc, _] : m_opt.scale)
            if (!m_p.services.count(svc))
                return Error(Errc::NotFound, "no such service: " + svc);

        find_diverged_networks(selected);
        TRY(plan_networks(selected));
        TRY(plan_volumes(selected));
        for (const auto& name : m_g.order(Direction::Up))
            if (selected.count(name))
                TRY(plan_service(m_p.services.at(name)));
        plan_orphans();
        if (m_opt.wait && !m_opt.no_start)
            for (const auto& name : m_g.order(Direction::Up))
                if (selected.count(name))
                    add_wait(name, WaitFor::Ready, true, "--wait");
        return std::move(m_plan);
    }

private:
    NetworkSpec network_spec(const std::string& key, const NetworkConfig& nc) const
    {
        NetworkSpec n;
        n.name = network_name(m_p, key);
        n.driver = nc.driver;
        n.labels = nc.labels;
        n.labels[labels::kProject] = m_p.name;
        n.labels[labels::kNetwork] = key;
        n.labels[labels::kVersion] = m_opt.tool_version;
        n.labels[labels::kConfigHash] = network_config_hash(nc);
        n.labels[labels::kNetworkConfig] = canonical_network_json(nc);
        n.options = nc.driver_opts;
        n.internal = nc.internal;
        if (!nc.ipam.config.empty()) {
            n.subnet = nc.ipam.config.front().subnet;
            n.gateway = nc.ipam.config.front().gateway;
        }
        return n;
    }

    static bool attached(const engine::ContainerRecord& r, const std::string& network)
    {
        return r.config.network_mode == network ||
               std::any_of(r.config.networks.begin(), r.config.networks.end(),
                           [&](const engine::NetworkAttachment& a) { return a.network == network; });
    }

    /// The network keys the selected services join.
    std::set<std::string> network_keys(const std::set<std::string>& selected) const
    {
        std::set<std::string> keys;
        for (const auto& s : selected)
            for (const auto& [k, _] : m_p.services.at(s).networks)
                keys.insert(k);
        return keys;
    }

    /// The file's config of network `key`; the defaults for one it only names (default).
    NetworkConfig network_config(const std::string& key) const
    {
        auto it = m_p.networks.find(key);
        return it != m_p.networks.end() ? it->second : NetworkConfig{};
    }

    // Networks of this project whose config-hash label differs from the file's (networks
    // without the label, from an older wharf or made by hand, are left alone): each gets a
    // cause, and the services with containers on it join the selection, as their
    // containers go with the network.
    void find_diverged_networks(std::set<std::string>& selected)
    {
        for (const auto& key : network_keys(selected)) {
            NetworkConfig nc = network_config(key);
            std::string name = network_name(m_p, key);
            auto o = m_o.networks.find(name);
            if (nc.external || o == m_o.networks.end())
                continue;
            const auto& have = o->second.labels;
            auto project = have.find(labels::kProject), hash = have.find(labels::kConfigHash);
            if (project == have.end() || project->second != m_p.name || hash == have.end() ||
                hash->second == network_config_hash(nc))
                continue;
            auto old_json = have.find(labels::kNetworkConfig);
            auto fields = old_json == have.end() ? std::vector<std::string>{}
                                                 : changed_network_fields(old_json->second, canonical_network_json(nc));
            std::string cause = "network " + key + ": " + (fields.empty() ? "config hash diverged" : join(fields, ", ") + " changed");
            if (m_opt.recreate == RecreatePolicy::Never) {
                m_plan.warnings.push_back(cause + "; not recreated (--no-recreate)");
                continue;
            }
            m_diverged_networks[name] = {key, cause};
            for (const auto& r : m_o.containers)
                if (attached(r, name) && label_of(r, labels::kProject) == m_p.name && !is_oneoff(r) &&
                    m_p.services.count(label_of(r, labels::kService)))
                    selected.insert(label_of(r, labels::kService));
        }
    }

    // A diverged network: every project container on it goes first (the engine refuses to
    // remove a network with endpoints, and a container keeps its network's identity), then
    // the network is removed and created again; plan_service recreates the containers.
    void plan_network_recreate(const std::string& name, const std::string& key, const NetworkConfig& nc,
                               const std::string& cause)
    {
        std::vector<size_t> removals;
        for (const auto& r : m_o.containers) {
            if (!attached(r, name) || label_of(r, labels::kProject) != m_p.name)
                continue;
            size_t removed = 0;
            add_stop_remove(r, "network " + key + " is recreated", {}, &removed);
            m_network_removed[r.id] = {removed, "network " + key + " is recreated"};
            removals.push_back(removed);
        }
        Step rm;
        rm.kind = StepKind::RemoveNetwork;
        rm.target = name;
        rm.cause = cause;
        rm.after = removals;
        size_t removed = m_plan.add(std::move(rm));
        Step s;
        s.kind = StepKind::CreateNetwork;
        s.target = name;
        s.cause = cause;
        s.network = network_spec(key, nc);
        s.after = {removed};
        m_network_steps[name] = m_plan.add(std::move(s));
    }

    Result<void> plan_networks(const std::set<std::string>& selected)
    {
        for (const auto& key : network_keys(selected)) {
            NetworkConfig nc = network_config(key);
            std::string name = network_name(m_p, key);
            bool exists = m_o.networks.count(name) > 0;
            if (nc.external) {
                if (!exists)
                    return Error(Errc::NotFound, "network " + name + " declared as external, but could not be found");
                continue;
            }
            if (auto d = m_diverged_networks.find(name); d != m_diverged_networks.end()) {
                plan_network_recreate(name, key, nc, d->second.second);
                continue;
            }
            if (exists) {
                const auto& labels = m_o.networks.at(name).labels;
                auto pl = labels.find(labels::kProject);
                if (pl == labels.end() || pl->second != m_p.name)
                    m_plan.warnings.push_back("a network with name " + name +
                                              " exists but was not created for project \"" + m_p.name +
                                              "\"; using it");
                continue;
            }
            Step s;
            s.kind = StepKind::CreateNetwork;
            s.target = name;
            s.cause = "network missing";
            s.network = network_spec(key, nc);
            m_network_steps[name] = m_plan.add(std::move(s));
        }
        return ok();
    }

    Result<void> plan_volumes(const std::set<std::string>& selected)
    {
        std::set<std::string> keys;
        for (const auto& s : selected)
            for (const auto& v : m_p.services.at(s).volumes)
                if (v.type == VolumeType::Volume && !v.source.empty())
                    keys.insert(v.source);
        for (const auto& key : keys) {
            auto it = m_p.volumes.find(key);
            VolumeConfig vc = it != m_p.volumes.end() ? it->second : VolumeConfig{};
            std::string name = !vc.name.empty() ? vc.name : m_p.name + "_" + key;
            bool exists = m_o.volumes.count(name) > 0;
            if (vc.external) {
                if (!exists)
                    return Error(Errc::NotFound, "external volume \"" + name + "\" not found");
                continue;
            }
            if (exists)
                continue;
            Step s;
            s.kind = StepKind::CreateVolume;
            s.target = name;
            s.cause = "volume missing";
            s.volume.name = name;
            s.volume.labels = vc.labels;
            s.volume.labels[labels::kProject] = m_p.name;
            s.volume.labels[labels::kVolume] = key;
            s.volume.labels[labels::kVersion] = m_opt.tool_version;
            m_volume_steps[name] = m_plan.add(std::move(s));
        }
        return ok();
    }

    // Why the existing container `r` must be recreated, or "" to keep it.
    std::string recreate_cause(const ServiceConfig& s, const ContainerSpec& spec, const engine::ContainerRecord& r)
    {
        if (m_opt.recreate == RecreatePolicy::Never)
            return "";
        if (m_opt.recreate == RecreatePolicy::Force)
            return "--force-recreate";
        const auto& want = spec.config.labels;
        std::string version = label_of(r, labels::kConfigHashVersion);
        std::string old_json = label_of(r, labels::kServiceConfig);
        if (version == std::to_string(kConfigHashVersion)) {
            if (label_of(r, labels::kConfigHash) != want.at(labels::kConfigHash)) {
                auto fields = old_json.empty() ? std::vector<std::string>{}
                                               : changed_fields(old_json, want.at(labels::kServiceConfig));
                return fields.empty() ? "config hash diverged" : "config changed: " + join(fields, ", ");
            }
        } else if (!old_json.empty()) {
            auto fields = changed_fields(old_json, want.at(labels::kServiceConfig));
            if (!fields.empty())
                return "config changed: " + join(fields, ", ");
        } else if (label_of(r, labels::kConfigHash) != want.at(labels::kConfigHash)) {
            return "config hash diverged";
        }
        auto img = m_o.images.find(spec.config.image);
        if (img != m_o.images.end() && !r.config.image_id.empty() && img->second != r.config.image_id)
            return "image changed (" + short_id(r.config.image_id) + " -> " + short_id(img->second) + ")";
        for (const auto& a : spec.config.networks)
            if (m_network_steps.count(a.network))
                return "network " + a.network + " is being created";
        for (const auto& m : spec.config.mounts)
            if (m.type == engine::MountType::Volume && m_volume_steps.count(m.source))
                return "volume " + m.source + " is being created";
        for (const auto& e : m_g.dependencies(s.name))
            if (m_recreated.count(e.to) && std::any_of(e.kinds.begin(), e.kinds.end(), shares_container))
                return "service " + e.to + " it shares with is recreated";
        return "";
    }

    // Steps a new container of `spec` must wait for before it is created.
    std::vector<size_t> create_prerequisites(const ServiceConfig& s, const ContainerSpec& spec)
    {
        std::vector<size_t> after;
        // network_mode: service:x joins x's namespace, which must exist and run by then.
        if (auto parent = service_reference(s.network_mode); !parent.empty())
            for (size_t id : m_start_steps[parent])
                after.push_back(id);
        // volumes_from, ipc/pid service:x name x's container, which must exist by then (its
        // namespaces are joined at start, after x started: a Wait step).
        for (const auto& e : m_g.dependencies(s.name))
            if (e.kinds.count(EdgeKind::VolumesFrom) || e.kinds.count(EdgeKind::Ipc) || e.kinds.count(EdgeKind::Pid))
                for (size_t id : m_create_steps[e.to])
                    after.push_back(id);
        for (const auto& a : spec.config.networks)
            if (auto it = m_network_steps.find(a.network); it != m_network_steps.end())
                after.push_back(it->second);
        for (const auto& m : spec.config.mounts)
            if (m.type == engine::MountType::Volume)
                if (auto it = m_volume_steps.find(m.source); it != m_volume_steps.end())
                    after.push_back(it->second);
        return after;
    }

    size_t add_wait(const std::string& service, WaitFor w, bool required, const std::string& cause)
    {
        auto key = std::pair(service, w);
        if (auto it = m_waits.find(key); it != m_waits.end()) {
            if (required)
                m_plan.steps[it->second - 1].required = true;
            return it->second;
        }
        Step s;
        s.kind = StepKind::Wait;
        s.service = service;
        s.target = service;
        s.wait = w;
        s.required = required;
        s.cause = cause;
        s.after = m_start_steps[service];
        size_t id = m_plan.add(std::move(s));
        m_waits[key] = id;
        return id;
    }

    // What a start of `s` waits for: its dependencies' conditions.
    std::vector<size_t> start_prerequisites(const ServiceConfig& s)
    {
        std::vector<size_t> after;
        for (const auto& e : m_g.dependencies(s.name)) {
            if (m_opt.no_deps && !m_planned.count(e.to))
                continue;
            if (e.kinds.count(EdgeKind::DependsOn)) {
                const auto& d = s.depends_on.at(e.to);
                after.push_back(add_wait(e.to, wait_for(d.condition), d.required,
                                         s.name + " depends on it (" + to_string(d.condition) + ")"));
            } else {
                std::string kinds;
                for (auto k : e.kinds)
                    kinds += (kinds.empty() ? "" : ", ") + std::string(to_string(k));
                after.push_back(add_wait(e.to, WaitFor::Started, true, s.name + " needs it (" + kinds + ")"));
            }
        }
        return after;
    }

    void add_stop_remove(const engine::ContainerRecord& r, const std::string& cause, std::vector<size_t> after,
                         size_t* removed)
    {
        // Already on its way out with a recreated network.
        if (auto it = m_network_removed.find(r.id); it != m_network_removed.end()) {
            if (removed)
                *removed = it->second.first;
            return;
        }
        if (active(r)) {
            Step stop;
            stop.kind = StepKind::StopContainer;
            stop.service = label_of(r, labels::kService);
            stop.target = r.config.name;
            stop.container_id = r.id;
            stop.stop_timeout = m_opt.timeout;
            stop.cause = cause;
            stop.after = std::move(after);
            after = {m_plan.add(std::move(stop))};
        }
        Step rm;
        rm.kind = StepKind::RemoveContainer;
        rm.service = label_of(r, labels::kService);
        rm.target = r.config.name;
        rm.container_id = r.id;
        rm.cause = cause;
        rm.after = std::move(after);
        size_t id = m_plan.add(std::move(rm));
        if (removed)
            *removed = id;
    }

    void add_create_start(const ServiceConfig& s, ContainerSpec spec, const std::string& cause,
                          std::vector<size_t> after)
    {
        auto pre = create_prerequisites(s, spec);
        after.insert(after.end(), pre.begin(), pre.end());
        std::sort(after.begin(), after.end());
        after.erase(std::unique(after.begin(), after.end()), after.end());
        Step create;
        create.kind = StepKind::CreateContainer;
        create.service = s.name;
        create.target = spec.config.name;
        create.cause = cause;
        create.after = std::move(after);
        create.container = std::move(spec);
        size_t created = m_plan.add(std::move(create));
        m_create_steps[s.name].push_back(created);
        add_start(s, m_plan.steps[created - 1].target, "", created, "created");
    }

    void add_start(const ServiceConfig& s, const std::string& name, const std::string& id, size_t after_step,
                   const std::string& cause)
    {
        if (m_opt.no_start)
            return;
        Step start;
        start.kind = StepKind::StartContainer;
        start.service = s.name;
        start.target = name;
        start.container_id = id;
        start.cause = cause;
        if (after_step)
            start.after.push_back(after_step);
        auto pre = start_prerequisites(s);
        start.after.insert(start.after.end(), pre.begin(), pre.end());
        std::sort(start.after.begin(), start.after.end());
        start.after.erase(std::unique(start.after.begin(), start.after.end()), start.after.end());
        m_start_steps[s.name].push_back(m_plan.add(std::move(start)));
    }

    // A replacement keeps the anonymous volumes of the container it replaces (as docker
    // compose does without -V): same target, same volume; the image's VOLUMEs too.
    static void keep_anonymous_volumes(ContainerSpec& spec, const engine::ContainerRecord& old)
    {
        for (const auto& om : old.config.mounts) {
            if (om.type != engine::MountType::Volume || !om.anonymous || om.source.empty())
                continue;
            auto it = std::find_if(spec.config.mounts.begin(), spec.config.mounts.end(),
                                   [&](const engine::MountSpec& m) { return m.target == om.target; });
            if (it == spec.config.mounts.end()) {
                spec.config.mounts.push_back(om);
            } else if (it->type == engine::MountType::Volume && it->source.empty()) {
                it->source = om.source;
                it->anonymous = true;
            }
        }
    }

    Result<void> plan_service(const ServiceConfig& s)
    {
        m_planned.insert(s.name);
        int64_t replicas = s.replica_count();
        if (auto it = m_opt.scale.find(s.name); it != m_opt.scale.end())
            replicas = it->second;
        if (replicas < 0)
            return Error(Errc::Invalid, "service \"" + s.name + "\": invalid scale " + std::to_string(replicas));
        if (!s.container_name.empty() && replicas > 1)
            return Error(Errc::Invalid, "service \"" + s.name + "\": container_name \"" + s.container_name +
                                            "\" cannot be used with " + std::to_string(replicas) + " replicas");
        std::string image_id;
        if (auto it = m_o.images.find(s.image_name(m_p.name)); it != m_o.images.end())
            image_id = it->second;
        SpecContext ctx{m_p, image_id, m_opt.tool_version};

        auto existing = containers_of(m_o, m_p.name, s.name);
        std::set<int> used;
        size_t keep = std::min<size_t>(existing.size(), static_cast<size_t>(replicas));
        // Scale down first: the highest numbers go.
        for (size_t i = existing.size(); i-- > keep;)
            add_stop_remove(*existing[i], "scale down to " + std::to_string(replicas), {}, nullptr);

        // Restart (not recreate) for `restart: true` dependencies being recreated.
        std::string restart_because;
        for (const auto& [dep, d] : s.depends_on)
            if (d.restart && m_recreated.count(dep)) {
                restart_because = "dependency " + dep + " is recreated (restart: true)";
                break;
            }

        for (size_t i = 0; i < keep; ++i) {
            const auto& r = *existing[i];
            int number = container_number(r) > 0 ? container_number(r) : static_cast<int>(i) + 1;
            used.insert(number);
            auto spec = TRY(make_container_spec(ctx, s, number));
            spec.config.name = r.config.name;
            if (auto gone = m_network_removed.find(r.id); gone != m_network_removed.end()) {
                m_recreated.insert(s.name);
                if (m_opt.renew_anon_volumes)
                    m_plan.steps[gone->second.first - 1].remove_volumes = true;
                else
                    keep_anonymous_volumes(spec, r);
                add_create_start(s, std::move(spec), gone->second.second, {gone->second.first});
                continue;
            }
            std::string cause = recreate_cause(s, spec, r);
            if (!cause.empty()) {
                m_recreated.insert(s.name);
                size_t removed = 0;
                add_stop_remove(r, cause, {}, &removed);
                if (m_opt.renew_anon_volumes)
                    m_plan.steps[removed - 1].remove_volumes = true;
                else
                    keep_anonymous_volumes(spec, r);
                add_create_start(s, std::move(spec), cause, {removed});
                continue;
            }
            if (active(r) && !restart_because.empty()) {
                Step stop;
                stop.kind = StepKind::StopContainer;
                stop.service = s.name;
                stop.target = r.config.name;
                stop.container_id = r.id;
                stop.stop_timeout = m_opt.timeout;
                stop.cause = restart_because;
                size_t stopped = m_plan.add(std::move(stop));
                add_start(s, r.config.name, r.id, stopped, restart_because);
            } else if (!active(r)) {
                add_start(s, r.config.name, r.id, 0, stopped_cause(r));
            }
        }
        int next = 1;
        for (int64_t n = static_cast<int64_t>(keep); n < replicas; ++n) {
            while (used.count(next))
                ++next;
            used.insert(next);
            auto spec = TRY(make_container_spec(ctx, s, next));
            add_create_start(s, std::move(spec), "no container for replica " + std::to_string(next), {});
        }
        return ok();
    }

    void plan_orphans()
    {
        std::vector<std::string> names;
        for (const auto& r : m_o.containers) {
            std::string svc = label_of(r, labels::kService);
            if (label_of(r, labels::kProject) != m_p.name || is_oneoff(r) || m_p.services.count(svc) ||
                m_p.disabled_services.count(svc))
                continue;
            if (m_opt.remove_orphans)
                add_stop_remove(r, "orphan: service " + svc + " is not in the project", {}, nullptr);
            else
                names.push_back(r.config.name);
        }
        if (!names.empty())
            m_plan.warnings.push_back("Found orphan containers ([" + join(names, " ") +
                                      "]) for this project. If you removed or renamed this service in your "
                                      "compose file, you can run this command with the --remove-orphans flag "
                                      "to clean it up.");
    }

    const Project& m_p;
    const ServiceGraph& m_g;
    const ObservedState& m_o;
    const UpOptions& m_opt;
    Plan m_plan;
    std::map<std::string, size_t> m_network_steps; ///< network name → create step
    std::map<std::string, size_t> m_volume_steps;  ///< volume name → create step
    std::map<std::string, std::vector<size_t>> m_start_steps; ///< service → its start steps
    std::map<std::string, std::vector<size_t>> m_create_steps; ///< service → its create steps
    std::map<std::pair<std::string, WaitFor>, size_t> m_waits;
    std::set<std::string> m_recreated;
    std::set<std::string> m_planned;
    std::map<std::string, std::pair<std::string, std::string>> m_diverged_networks; ///< name → {key, cause}
    std::map<std::string, std::pair<size_t, std::string>> m_network_removed; ///< container ID → {remove step, cause}
};

} // namespace

Result<Plan> reconcile(const Project& project, const ServiceGraph& graph, const ObservedState& observed,
                       const UpOptions& options)
{
    return UpPlanner(project, graph, observed, options).run();
}

Plan plan_down(const Project& p, const ServiceGraph& g, const ObservedState& o, const DownOptions& opt)
{
    Plan plan;
    std::set<std::string> selected;
    if (!opt.services.empty())
        selected.insert(opt.services.begin(), opt.services.end());
    auto wanted = [&](const std::string& svc) { return selected.empty() || selected.count(svc); };

    std::map<std::string, std::vector<size_t>> stops; // service → its stop steps
    std::vector<size_t> removals;
    auto take = [&](const engine::ContainerRecord& r, const std::string& cause, std::vector<size_t> after) {
        std::string svc = label_of(r, labels::kService);
        if (active(r)) {
            Step stop;
            stop.kind = StepKind::StopContainer;
            stop.service = svc;
            stop.target = r.config.name;
            stop.container_id = r.id;
            stop.stop_timeout = opt.timeout;
            stop.cause = cause;
            stop.after = std::move(after);
            after = {plan.add(std::move(stop))};
            stops[svc].push_back(after.front());
        }
        if (opt.stop_only)
            return;
        Step rm;
        rm.kind = StepKind::RemoveContainer;
        rm.service = svc;
        rm.target = r.config.name;
        rm.container_id = r.id;
        rm.remove_volumes = opt.volumes;
        rm.cause = cause;
        rm.after = std::move(after);
        removals.push_back(plan.add(std::move(rm)));
    };

    std::vector<std::string> orphans;
    for (const auto& svc : g.order(Direction::Down)) {
        if (!wanted(svc))
            continue;
        // Dependents stop first.
        std::vector<size_t> after;
        for (const auto& e : g.dependents(svc))
            for (size_t id : stops[e.from])
                after.push_back(id);
        std::sort(after.begin(), after.end());
        for (const auto& r : o.containers)
            if (label_of(r, labels::kProject) == p.name && label_of(r, labels::kService) == svc)
                take(r, is_oneoff(r) ? "one-off container of " + svc : "down", after);
    }
    for (const auto& r : o.containers) {
        std::string svc = label_of(r, labels::kService);
        if (label_of(r, labels::kProject) != p.name || p.services.count(svc))
            continue;
        if (p.disabled_services.count(svc)) {
            if (wanted(svc))
                take(r, "down", {});
        } else if (opt.remove_orphans) {
            take(r, "orphan: service " + svc + " is not in the project", {});
        } else {
            orphans.push_back(r.config.name);
        }
    }
    if (!orphans.empty())
        plan.warnings.push_back("Found orphan containers ([" + join(orphans, " ") +
                                "]) for this project. If you removed or renamed this service in your compose "
                                "file, you can run this command with the --remove-orphans flag to clean it up.");
    if (!selected.empty() || opt.keep_networks || opt.stop_only)
        return plan;
    for (const auto& [key, n] : p.networks) {
        std::string name = network_name(p, key);
        auto it = o.networks.find(name);
        if (n.external || it == o.networks.end())
            continue;
        auto pl = it->second.labels.find(labels::kProject);
        if (pl == it->second.labels.end() || pl->second != p.name)
            continue;
        Step s;
        s.kind = StepKind::RemoveNetwork;
        s.target = name;
        s.cause = "down";
        s.after = removals;
        plan.add(std::move(s));
    }
    if (opt.volumes) {
        for (const auto& [key, v] : p.volumes) {
            std::string name = !v.name.empty() ? v.name : p.name + "_" + key;
            if (v.external || !o.volumes.count(name))
                continue;
            Step s;
            s.kind = StepKind::RemoveVolume;
            s.target = name;
            s.cause = "down -v";
            s.after = removals;
            plan.add(std::move(s));
        }
    }
    return plan;
}

} // namespace wharf::compose
