#include "engine/dns/name_table.h"

#include <algorithm>

namespace wharf::engine::dns {
namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

template <typename F>
void for_each_peer(const std::vector<NetworkRecord>& networks, const std::string& container_id, F fn)
{
    for (const auto& n : networks) {
        if (n.name == "bridge" || n.driver != NetworkDriver::Bridge || !n.endpoints.count(container_id))
            continue;
        for (const auto& [id, e] : n.endpoints)
            fn(e);
    }
}

bool answers_to(const Endpoint& e, const std::string& name)
{
    if (lower(e.container_name) == name)
        return true;
    if (e.container_id.size() >= 12 && e.container_id.substr(0, 12) == name)
        return true;
    return std::any_of(e.aliases.begin(), e.aliases.end(), [&](const std::string& a) { return lower(a) == name; });
}

} // namespace

std::vector<std::string> lookup_names(const std::vector<NetworkRecord>& networks, const std::string& container_id,
                                      const std::string& name)
{
    std::vector<std::string> out;
    for_each_peer(networks, container_id, [&](const Endpoint& e) {
        if (answers_to(e, name) && std::find(out.begin(), out.end(), e.ipv4) == out.end())
            out.push_back(e.ipv4);
    });
    return out;
}

bool is_known_name(const std::vector<NetworkRecord>& networks, const std::string& container_id, const std::string& name)
{
    return !lookup_names(networks, container_id, name).empty();
}

std::string lookup_address(const std::vector<NetworkRecord>& networks, const std::string& container_id,
                           const std::string& ipv4)
{
    std::string found;
    for_each_peer(networks, container_id, [&](const Endpoint& e) {
        if (found.empty() && e.ipv4 == ipv4)
            found = e.container_name;
    });
    return found;
}

} // namespace wharf::engine::dns
