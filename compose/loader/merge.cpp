// Compose merge rules over Node trees (see merge.h).
#include "compose/loader/merge.h"

#include <map>
#include <set>

namespace wharf::compose::loader {

namespace {

enum class Rule { Deep, Replace, MapMerge, AppendUnique, Ports, ByTarget, DependsOn, Networks, Build, Ulimits, Logging, Healthcheck, Deploy };

Rule service_rule(const std::string& key)
{
    static const std::map<std::string, Rule, std::less<>> rules = {
        {"command", Rule::Replace}, {"entrypoint", Rule::Replace},
        {"environment", Rule::MapMerge}, {"labels", Rule::MapMerge}, {"annotations", Rule::MapMerge},
        {"sysctls", Rule::MapMerge}, {"extra_hosts", Rule::MapMerge}, {"storage_opt", Rule::MapMerge},
        {"dns", Rule::AppendUnique}, {"dns_opt", Rule::AppendUnique}, {"dns_search", Rule::AppendUnique},
        {"tmpfs", Rule::AppendUnique}, {"env_file", Rule::AppendUnique}, {"profiles", Rule::AppendUnique},
        {"cap_add", Rule::AppendUnique}, {"cap_drop", Rule::AppendUnique}, {"links", Rule::AppendUnique},
        {"expose", Rule::AppendUnique}, {"security_opt", Rule::AppendUnique}, {"external_links", Rule::AppendUnique},
        {"group_add", Rule::AppendUnique}, {"volumes_from", Rule::AppendUnique},
        {"device_cgroup_rules", Rule::AppendUnique}, {"label_file", Rule::AppendUnique},
        {"ports", Rule::Ports},
        {"volumes", Rule::ByTarget}, {"devices", Rule::ByTarget}, {"secrets", Rule::ByTarget},
        {"configs", Rule::ByTarget},
        {"depends_on", Rule::DependsOn}, {"networks", Rule::Networks}, {"build", Rule::Build},
        {"ulimits", Rule::Ulimits}, {"logging", Rule::Logging}, {"healthcheck", Rule::Healthcheck},
        {"deploy", Rule::Deploy},
    };
    auto it = rules.find(key);
    return it == rules.end() ? Rule::Deep : it->second;
}

void deep_merge(Node& base, const Node& over);

// Applies `over`'s tag semantics for key `key` of map `base`; returns true if handled.
bool apply_tags(Node& base, const Node::Entry& e)
{
    if (e.value.tag == NodeTag::Reset) {
        base.erase(e.key);
        return true;
    }
    if (e.value.tag == NodeTag::Override) {
        Node v = e.value;
        v.tag = NodeTag::None;
        base.set(e.key, std::move(v));
        return true;
    }
    return false;
}

void deep_merge(Node& base, const Node& over)
{
    if (!base.is_map() || !over.is_map()) {
        base = over;
        return;
    }
    for (const auto& e : over.entries) {
        if (apply_tags(base, e))
            continue;
        Node* b = base.find(e.key);
        if (!b) {
            base.entries.push_back(e);
            continue;
        }
        deep_merge(*b, e.value);
    }
}

Node as_list(const Node& n)
{
    if (n.is_seq())
        return n;
    Node s = Node::seq(n.mark);
    if (!n.is_null())
        s.items.push_back(n);
    return s;
}

std::string scalar_key(const Node& n)
{
    if (n.is_scalar())
        return n.text;
    if (n.is_map()) {
        // env_file long form and the like: keyed by `path`.
        if (const Node* p = n.find("path"))
            return p->text;
    }
    return {};
}

void append_unique(Node& base, const Node& over)
{
    Node b = as_list(base);
    Node o = as_list(over);
    std::set<std::string> seen;
    for (const auto& i : b.items)
        seen.insert(scalar_key(i));
    for (const auto& i : o.items)
        if (seen.insert(scalar_key(i)).second)
            b.items.push_back(i);
    b.tag = NodeTag::None;
    base = std::move(b);
}

std::string port_key(const Node& n)
{
    if (n.is_scalar())
        return n.text;
    auto f = [&](const char* k) {
        const Node* x = n.find(k);
        return x ? x->text : std::string();
    };
    return f("host_ip") + ":" + f("published") + ":" + f("target") + "/" + f("protocol") + "/" + f("mode");
}

void merge_ports(Node& base, const Node& over)
{
    Node b = as_list(base);
    std::set<std::string> seen;
    for (const auto& i : b.items)
        seen.insert(port_key(i));
    for (const auto& i : as_list(over).items)
        if (seen.insert(port_key(i)).second)
            b.items.push_back(i);
    base = std::move(b);
}

// The container-side key of a volumes/devices/secrets/configs entry.
std::string target_key(const std::string& attr, const Node& n)
{
    if (n.is_map()) {
        if (const Node* t = n.find("target"); t && !t->text.empty())
            return t->text;
        const Node* s = n.find("source");
        std::string src = s ? s->text : "";
        if (attr == "secrets")
            return "/run/secrets/" + src;
        if (attr == "configs")
            return "/" + src;
        return src;
    }
    const std::string& t = n.text;
    if (attr == "secrets")
        return "/run/secrets/" + t;
    if (attr == "configs")
        return "/" + t;
    // volumes "src:dst[:mode]" / devices "src[:dst[:perm]]"; a lone path is the target.
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t i = 0; i <= t.size(); ++i) {
        if (i == t.size() || t[i] == ':') {
            parts.push_back(t.substr(start, i - start));
            start = i + 1;
        }
    }
    // Windows-style drive letters do not occur on Linux; keep it simple.
    if (parts.size() >= 2)
        return parts[1];
    return parts.empty() ? t : parts[0];
}

void merge_by_target(const std::string& attr, Node& base, const Node& over)
{
    Node b = as_list(base);
    for (const auto& i : as_list(over).items) {
        std::string k = target_key(attr, i);
        bool replaced = false;
        for (auto& x : b.items)
            if (target_key(attr, x) == k) {
                if (x.is_map() && i.is_map())
                    deep_merge(x, i);
                else
                    x = i;
                replaced = true;
                break;
            }
        if (!replaced)
            b.items.push_back(i);
    }
    base = std::move(b);
}

Node list_of_names_to_map(const Node& n)
{
    if (!n.is_seq())
        return n;
    Node m = Node::map(n.mark);
    for (const auto& i : n.items)
        m.entries.push_back(Node::Entry{i.text, i.mark, Node::null(i.mark)});
    return m;
}

Node depends_on_to_map(const Node& n)
{
    if (!n.is_seq())
        return n;
    Node m = Node::map(n.mark);
    for (const auto& i : n.items) {
        Node d = Node::map(i.mark);
        d.set("condition", Node::scalar("service_started", i.mark));
        d.set("required", Node::scalar("true", i.mark, false));
        m.entries.push_back(Node::Entry{i.text, i.mark, std::move(d)});
    }
    return m;
}

Node build_to_map(const Node& n)
{
    if (!n.is_scalar())
        return n;
    Node m = Node::map(n.mark);
    m.set("context", n);
    return m;
}

void merge_map_attr(Node& base, const Node& over, char sep = '=')
{
    Node b = list_to_map(base, sep);
    Node o = list_to_map(over, sep);
    for (const auto& e : o.entries)
        if (!apply_tags(b, e))
            b.set(e.key, e.value);
    base = std::move(b);
}

void merge_build(Node& base, const Node& over)
{
    Node b = build_to_map(base);
    Node o = build_to_map(over);
    for (const auto& e : o.entries) {
        if (apply_tags(b, e))
            continue;
        Node* x = b.find(e.key);
        if (!x) {
            b.entries.push_back(e);
        } else if (e.key == "args" || e.key == "labels" || e.key == "additional_contexts") {
            merge_map_attr(*x, e.value);
        } else if (e.key == "extra_hosts") {
            merge_map_attr(*x, e.value);
        } else if (e.key == "cache_from" || e.key == "cache_to" || e.key == "tags" || e.key == "platforms" ||
                   e.key == "ssh" || e.key == "secrets") {
            append_unique(*x, e.value);
        } else {
            deep_merge(*x, e.value);
        }
    }
    base = std::move(b);
}

} // namespace

Node list_to_map(const Node& n, char sep)
{
    if (!n.is_seq())
        return n;
    Node m = Node::map(n.mark);
    for (const auto& i : n.items) {
        const std::string& t = i.text;
        size_t eq = t.find(sep);
        // extra_hosts also accept "host:ip"; the IP may be IPv6 (more colons).
        if (sep == '=' && eq == std::string::npos)
            eq = std::string::npos;
        if (eq == std::string::npos) {
            Node v = Node::null(i.mark);
            m.set(t, std::move(v));
            m.entries.back().key_mark = i.mark;
        } else {
            Node v = Node::scalar(t.substr(eq + 1), i.mark, true);
            v.interpolated = i.interpolated;
            std::string k = t.substr(0, eq);
            m.set(k, std::move(v));
            m.entries.back().key_mark = i.mark;
        }
    }
    return m;
}

void merge_service(Node& base, const Node& over)
{
    if (!base.is_map() || !over.is_map()) {
        base = over;
        return;
    }
    for (const auto& e : over.entries) {
        if (apply_tags(base, e))
            continue;
        Node* b = base.find(e.key);
        if (!b) {
            base.entries.push_back(e);
            continue;
        }
        switch (service_rule(e.key)) {
        case Rule::Replace: *b = e.value; break;
        case Rule::MapMerge: merge_map_attr(*b, e.value); break;
        case Rule::AppendUnique: append_unique(*b, e.value); break;
        case Rule::Ports: merge_ports(*b, e.value); break;
        case Rule::ByTarget: merge_by_target(e.key, *b, e.value); break;
        case Rule::DependsOn: {
            Node x = depends_on_to_map(*b);
            deep_merge(x, depends_on_to_map(e.value));
            *b = std::move(x);
            break;
        }
        case Rule::Networks: {
            Node x = list_of_names_to_map(*b);
            deep_merge(x, list_of_names_to_map(e.value));
            *b = std::move(x);
            break;
        }
        case Rule::Build: merge_build(*b, e.value); break;
        case Rule::Ulimits:
            if (b->is_map() && e.value.is_map()) {
                for (const auto& u : e.value.entries)
                    if (!apply_tags(*b, u))
                        b->set(u.key, u.value);
            } else {
                *b = e.value;
            }
            break;
        case Rule::Logging: {
            const Node* od = e.value.find("driver");
            const Node* bd = b->find("driver");
            if (od && bd && od->text != bd->text) {
                *b = e.value;
            } else {
                for (const auto& l : e.value.entries) {
                    if (apply_tags(*b, l))
                        continue;
                    Node* x = b->find(l.key);
                    if (x && l.key == "options")
                        merge_map_attr(*x, l.value);
                    else if (x)
                        deep_merge(*x, l.value);
                    else
                        b->entries.push_back(l);
                }
            }
            break;
        }
        case Rule::Healthcheck:
            for (const auto& h : e.value.entries) {
                if (apply_tags(*b, h))
                    continue;
                if (h.key == "test" || !b->find(h.key))
                    b->set(h.key, h.value);
                else
                    deep_merge(*b->find(h.key), h.value);
            }
            break;
        case Rule::Deploy:
            if (!b->is_map() || !e.value.is_map()) {
                *b = e.value;
                break;
            }
            for (const auto& d : e.value.entries) {
                if (apply_tags(*b, d))
                    continue;
                Node* x = b->find(d.key);
                if (x && d.key == "labels")
                    merge_map_attr(*x, d.value);
                else if (x)
                    deep_merge(*x, d.value);
                else
                    b->entries.push_back(d);
            }
            break;
        case Rule::Deep: deep_merge(*b, e.value); break;
        }
    }
}

void merge_project(Node& base, const Node& over)
{
    if (!base.is_map() || !over.is_map()) {
        base = over;
        return;
    }
    for (const auto& e : over.entries) {
        if (apply_tags(base, e))
            continue;
        Node* b = base.find(e.key);
        if (!b) {
            base.entries.push_back(e);
            continue;
        }
        if (e.key == "services" && b->is_map() && e.value.is_map()) {
            for (const auto& s : e.value.entries) {
                if (apply_tags(*b, s))
                    continue;
                Node* bs = b->find(s.key);
                if (!bs)
                    b->entries.push_back(s);
                else
                    merge_service(*bs, s.value);
            }
        } else if (e.key == "include") {
            append_unique(*b, e.value);
        } else {
            deep_merge(*b, e.value);
        }
    }
}

void strip_reset(Node& n)
{
    if (n.is_map()) {
        std::erase_if(n.entries, [](const Node::Entry& e) { return e.value.tag == NodeTag::Reset; });
        for (auto& e : n.entries)
            strip_reset(e.value);
    } else if (n.is_seq()) {
        std::erase_if(n.items, [](const Node& i) { return i.tag == NodeTag::Reset; });
        for (auto& i : n.items)
            strip_reset(i);
    }
    n.tag = NodeTag::None;
}

} // namespace wharf::compose::loader
