#include "engine/network/network.h"

#include <nlohmann/json.hpp>

namespace wharf::engine {

std::string_view to_string(NetworkDriver driver)
{
    switch (driver) {
    case NetworkDriver::Bridge: return "bridge";
    case NetworkDriver::Host: return "host";
    case NetworkDriver::Null: return "null";
    }
    return "bridge";
}

std::string encode_network(const NetworkRecord& r)
{
    nlohmann::json j;
    j["Id"] = r.id;
    j["Name"] = r.name;
    j["Created"] = r.created;
    j["Driver"] = to_string(r.driver);
    j["Internal"] = r.internal;
    j["Attachable"] = r.attachable;
    j["Labels"] = r.labels;
    j["Options"] = r.options;
    j["Subnet"] = r.subnet;
    j["Gateway"] = r.gateway;
    j["Bridge"] = r.bridge;
    auto& eps = j["Endpoints"] = nlohmann::json::object();
    for (const auto& [id, e] : r.endpoints)
        eps[id] = {{"Name", e.container_name}, {"Aliases", e.aliases}, {"IPv4Address", e.ipv4},
                   {"Prefix", e.prefix},       {"MacAddress", e.mac}, {"Interface", e.interface},
                   {"HostInterface", e.host_interface}};
    return j.dump(2) + "\n";
}

Result<NetworkRecord> decode_network(std::string_view text)
{
    try {
        auto j = nlohmann::json::parse(text);
        NetworkRecord r;
        r.id = j.at("Id").get<std::string>();
        r.name = j.at("Name").get<std::string>();
        r.created = j.value("Created", "");
        std::string driver = j.value("Driver", "bridge");
        r.driver = driver == "host" ? NetworkDriver::Host : driver == "null" ? NetworkDriver::Null : NetworkDriver::Bridge;
        r.internal = j.value("Internal", false);
        r.attachable = j.value("Attachable", true);
        r.labels = j.value("Labels", std::map<std::string, std::string>{});
        r.options = j.value("Options", std::map<std::string, std::string>{});
        r.subnet = j.value("Subnet", "");
        r.gateway = j.value("Gateway", "");
        r.bridge = j.value("Bridge", "");
        if (j.contains("Endpoints"))
            for (const auto& [id, e] : j["Endpoints"].items()) {
                Endpoint ep;
                ep.container_id = id;
                ep.container_name = e.value("Name", "");
                ep.aliases = e.value("Aliases", std::vector<std::string>{});
                ep.ipv4 = e.value("IPv4Address", "");
                ep.prefix = e.value("Prefix", 24);
                ep.mac = e.value("MacAddress", "");
                ep.interface = e.value("Interface", "");
                ep.host_interface = e.value("HostInterface", "");
                r.endpoints.emplace(id, std::move(ep));
            }
        return r;
    } catch (const nlohmann::json::exception& e) {
        return Error(Errc::Invalid, std::string("network record: ") + e.what());
    }
}

} // namespace wharf::engine
