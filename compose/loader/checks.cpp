// Phases 11–12: defaults compose-go's normalisation adds (default network, resource names)
// and the references between services and top-level resources.
#include "compose/loader/phases.h"

#include <set>

namespace wharf::compose::loader {

Mark mark_at(const Node& tree, std::initializer_list<std::string_view> path)
{
    const Node* cur = &tree;
    Mark m = tree.mark;
    for (auto key : path) {
        if (!cur->is_map())
            break;
        const Node* next = nullptr;
        for (const auto& e : cur->entries)
            if (e.key == key) {
                next = &e.value;
                m = e.key_mark;
            }
        if (!next)
            break;
        cur = next;
    }
    return m;
}

namespace {

// The mark of the entry `name` inside attribute node `attr` (map key or list item text/source).
Mark entry_mark(const Node& tree, const std::string& svc, const char* attr, const std::string& name)
{
    Mark m = mark_at(tree, {"services", svc, attr});
    const Node* services = tree.find("services");
    const Node* s = services ? services->find(svc) : nullptr;
    const Node* a = s ? s->find(attr) : nullptr;
    if (!a)
        return m;
    if (a->is_scalar())
        return a->mark;
    if (a->is_map()) {
        for (const auto& e : a->entries)
            if (e.key == name)
                return e.key_mark;
    } else if (a->is_seq()) {
        for (const auto& i : a->items) {
            if (i.is_scalar() && (i.text == name || i.text.rfind(name + ":", 0) == 0))
                return i.mark;
            if (const Node* src = i.is_map() ? i.find("source") : nullptr; src && src->text == name)
                return src->mark;
        }
    }
    return m;
}

// A `provider:` service is managed by a plugin: it needs neither image nor build.
bool has_provider(const Node& tree, const std::string& svc)
{
    const Node* services = tree.find("services");
    const Node* s = services ? services->find(svc) : nullptr;
    return s && s->find("provider");
}

} // namespace

Result<void> apply_defaults_and_check(LoadState& st, Project& p, const Node& tree)
{
    // Services without networks and network_mode join the implicit "default" network.
    bool uses_default = false;
    for (auto& [name, s] : p.services) {
        if (s.networks.empty() && s.network_mode.empty())
            s.networks["default"] = std::nullopt;
        if (s.networks.count("default"))
            uses_default = true;
    }
    if (uses_default && !p.networks.count("default"))
        p.networks["default"] = NetworkConfig{};

    for (auto& [name, s] : p.services) {
        std::string path = "services." + name;
        for (auto it = s.depends_on.begin(); it != s.depends_on.end();) {
            const std::string& dep = it->first;
            if (p.services.count(dep)) {
                ++it;
                continue;
            }
            if (!it->second.required) {
                st.warnings.push_back(path + ".depends_on: optional dependency \"" + dep + "\" is not enabled, ignored");
                it = s.depends_on.erase(it);
                continue;
            }
            std::string why = p.disabled_services.count(dep)
                ? "depends on service \"" + dep + "\" which is disabled by its profiles"
                : "depends on undefined service \"" + dep + "\"";
            return node_error(entry_mark(tree, name, "depends_on", dep), path + ".depends_on", why);
        }
        if (s.image.empty() && !s.build && !has_provider(tree, name))
            return node_error(mark_at(tree, {"services", name}), path,
                "has neither an image nor a build context specified");
        if (!s.network_mode.empty() && !s.networks.empty())
            return node_error(mark_at(tree, {"services", name, "network_mode"}), path,
                "declares mutually exclusive `network_mode` and `networks`");
        for (const auto& [net, _] : s.networks)
            if (!p.networks.count(net))
                return node_error(entry_mark(tree, name, "networks", net), path + ".networks",
                    "refers to undefined network \"" + net + "\"");
        for (const auto& v : s.volumes)
            if (v.type == VolumeType::Volume && !v.source.empty() && !p.volumes.count(v.source))
                return node_error(entry_mark(tree, name, "volumes", v.source), path + ".volumes",
                    "refers to undefined volume \"" + v.source + "\"");
        for (const auto& r : s.secrets)
            if (!p.secrets.count(r.source))
                return node_error(entry_mark(tree, name, "secrets", r.source), path + ".secrets",
                    "refers to undefined secret \"" + r.source + "\"");
        for (const auto& r : s.configs)
            if (!p.configs.count(r.source))
                return node_error(entry_mark(tree, name, "configs", r.source), path + ".configs",
                    "refers to undefined config \"" + r.source + "\"");
        if (s.network_mode.rfind("service:", 0) == 0) {
            std::string target = s.network_mode.substr(8);
            if (!p.services.count(target))
                return node_error(entry_mark(tree, name, "network_mode", target), path + ".network_mode",
                    "refers to undefined service \"" + target + "\"");
        }
        for (const auto& vf : s.volumes_from) {
            std::string target = vf.substr(0, vf.find(':'));
            if (target == "container")
                continue;
            if (target == "service")
                target = vf.substr(8, vf.find(':', 8) == std::string::npos ? std::string::npos : vf.find(':', 8) - 8);
            if (!p.services.count(target))
                return node_error(mark_at(tree, {"services", name, "volumes_from"}), path + ".volumes_from",
                    "refers to undefined service \"" + target + "\"");
        }
        if (s.scale && s.deploy && s.deploy->replicas && *s.scale != *s.deploy->replicas)
            return node_error(mark_at(tree, {"services", name, "scale"}), path,
                "can't set distinct values on 'scale' and 'deploy.replicas'");
        if (!s.container_name.empty() && s.replica_count() > 1)
            return node_error(mark_at(tree, {"services", name, "container_name"}), path,
                "can't set container_name and " + name + " as container name must be unique");
    }

    // Resources no enabled service uses are left out, as docker compose does.
    std::set<std::string> nets, vols, secrets, configs;
    for (const auto& [_, s] : p.services) {
        for (const auto& [n, _2] : s.networks)
            nets.insert(n);
        for (const auto& v : s.volumes)
            if (v.type == VolumeType::Volume && !v.source.empty())
                vols.insert(v.source);
        for (const auto& r : s.secrets)
            secrets.insert(r.source);
        for (const auto& r : s.configs)
            configs.insert(r.source);
        if (s.build)
            for (const auto& r : s.build->secrets)
                secrets.insert(r.source);
    }
    std::erase_if(p.networks, [&](const auto& kv) { return !nets.count(kv.first); });
    std::erase_if(p.volumes, [&](const auto& kv) { return !vols.count(kv.first); });
    std::erase_if(p.secrets, [&](const auto& kv) { return !secrets.count(kv.first); });
    std::erase_if(p.configs, [&](const auto& kv) { return !configs.count(kv.first); });

    // Engine names: <project>_<key> unless external (the key) or named explicitly.
    auto name_of = [&](const std::string& key, std::string& name, bool external) {
        if (name.empty())
            name = external ? key : p.name + "_" + key;
    };
    for (auto& [k, n] : p.networks)
        name_of(k, n.name, n.external);
    for (auto& [k, v] : p.volumes)
        name_of(k, v.name, v.external);
    for (auto& [k, s] : p.secrets)
        name_of(k, s.name, s.external);
    for (auto& [k, c] : p.configs)
        name_of(k, c.name, c.external);
    return ok();
}

} // namespace wharf::compose::loader
