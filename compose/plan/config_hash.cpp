#include "compose/plan/config_hash.h"

#include "compose/model/serialize.h"
#include "engine/base/digest.h"

#include <nlohmann/json.hpp>
#include <set>

namespace wharf::compose {

std::string canonical_service_json(const ServiceConfig& s)
{
    ServiceConfig c = s;
    c.build.reset();
    c.pull_policy.clear();
    c.scale.reset();
    if (c.deploy)
        c.deploy->replicas.reset();
    c.depends_on.clear();
    c.profiles.clear();
    return service_json(c);
}

std::string config_hash(const ServiceConfig& s)
{
    return sha256("wharf-config-hash/" + std::to_string(kConfigHashVersion) + "\n" + canonical_service_json(s)).hex();
}

std::vector<std::string> changed_fields(const std::string& old_json, const std::string& new_json)
{
    nlohmann::json a, b;
    try {
        a = nlohmann::json::parse(old_json);
        b = nlohmann::json::parse(new_json);
    } catch (const nlohmann::json::exception&) {
        return {"*"};
    }
    if (!a.is_object() || !b.is_object())
        return a == b ? std::vector<std::string>{} : std::vector<std::string>{"*"};
    std::set<std::string> out;
    std::set<std::string> keys;
    for (const auto& [k, _] : a.items())
        keys.insert(k);
    for (const auto& [k, _] : b.items())
        keys.insert(k);
    for (const auto& k : keys) {
        const nlohmann::json* x = a.contains(k) ? &a[k] : nullptr;
        const nlohmann::json* y = b.contains(k) ? &b[k] : nullptr;
        if (x && y && *x == *y)
            continue;
        if (x && y && x->is_object() && y->is_object()) {
            std::set<std::string> sub;
            for (const auto& [s, _] : x->items())
                sub.insert(s);
            for (const auto& [s, _] : y->items())
                sub.insert(s);
            for (const auto& s : sub)
                if (!x->contains(s) || !y->contains(s) || (*x)[s] != (*y)[s])
                    out.insert(k + "." + s);
        } else {
            out.insert(k);
        }
    }
    return {out.begin(), out.end()};
}

} // namespace wharf::compose
