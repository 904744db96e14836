#include "compose/plan/network_hash.h"

#include "compose/plan/config_hash.h"
#include "engine/base/digest.h"

#include <nlohmann/json.hpp>
#include <set>

namespace wharf::compose {

std::string canonical_network_json(const NetworkConfig& n)
{
    // nlohmann::json objects are std::map-backed: keys come out sorted.
    nlohmann::json ipam_pools = nlohmann::json::array();
    for (const auto& pool : n.ipam.config)
        ipam_pools.push_back({{"subnet", pool.subnet},
                              {"gateway", pool.gateway},
                              {"ip_range", pool.ip_range},
                              {"aux_addresses", pool.aux_addresses}});
    nlohmann::json j{
        {"driver", n.driver.empty() ? "bridge" : n.driver},
        {"driver_opts", n.driver_opts},
        {"ipam", {{"driver", n.ipam.driver}, {"config", ipam_pools}, {"options", n.ipam.options}}},
        {"internal", n.internal},
        {"enable_ipv6", n.enable_ipv6.value_or(false)},
        {"attachable", n.attachable},
        {"labels", n.labels},
    };
    return j.dump();
}

std::string network_config_hash(const NetworkConfig& n)
{
    return sha256("wharf-network-hash/1\n" + canonical_network_json(n)).hex();
}

std::vector<std::string> changed_network_fields(const std::string& old_json, const std::string& new_json)
{
    std::set<std::string> top;
    for (const auto& f : changed_fields(old_json, new_json))
        top.insert(f.substr(0, f.find('.')));
    return {top.begin(), top.end()};
}

} // namespace wharf::compose
