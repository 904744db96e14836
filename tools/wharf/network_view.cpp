#include "tools/wharf/network_view.h"

namespace wharf::cli {

using Json = nlohmann::ordered_json;
using engine::NetworkRecord;

std::string go_time_string(const std::string& t)
{
    // "2026-01-02T03:04:05.123456789Z" -> "2026-01-02 03:04:05.123456789 +0000 UTC"
    if (t.size() < 20 || t[10] != 'T' || t.back() != 'Z')
        return t;
    std::string s = t.substr(0, t.size() - 1);
    s[10] = ' ';
    if (auto dot = s.find('.'); dot != std::string::npos) {
        while (!s.empty() && s.back() == '0')
            s.pop_back(); // Go prints the fraction without trailing zeros
        if (s.back() == '.')
            s.pop_back();
    }
    return s + " +0000 UTC";
}

Json network_inspect_json(const NetworkRecord& n)
{
    Json j;
    j["Name"] = n.name;
    j["Id"] = n.id;
    j["Created"] = n.created;
    j["Scope"] = "local";
    j["Driver"] = std::string(engine::to_string(n.driver));
    j["EnableIPv6"] = false;
    Json config = Json::array();
    if (!n.subnet.empty())
        config.push_back({{"Subnet", n.subnet}, {"Gateway", n.gateway}});
    j["IPAM"] = {{"Driver", "default"}, {"Options", Json::object()}, {"Config", config}};
    j["Internal"] = n.internal;
    j["Attachable"] = n.attachable;
    j["Ingress"] = false;
    j["ConfigFrom"] = {{"Network", ""}};
    j["ConfigOnly"] = false;
    Json containers = Json::object();
    for (const auto& [id, e] : n.endpoints)
        containers[id] = {{"Name", e.container_name}, {"EndpointID", e.host_interface}, {"MacAddress", e.mac},
            {"IPv4Address", e.ipv4.empty() ? "" : e.ipv4 + "/" + std::to_string(e.prefix)},
            {"IPv6Address", ""}};
    j["Containers"] = containers;
    j["Options"] = Json::object();
    for (const auto& [k, v] : n.options)
        j["Options"][k] = v;
    j["Labels"] = Json::object();
    for (const auto& [k, v] : n.labels)
        j["Labels"][k] = v;
    return j;
}

Json network_row(const NetworkRecord& n, bool no_trunc)
{
    std::string labels;
    for (const auto& [k, v] : n.labels)
        labels += (labels.empty() ? "" : ",") + k + "=" + v;
    Json j;
    j["CreatedAt"] = go_time_string(n.created);
    j["Driver"] = std::string(engine::to_string(n.driver));
    j["ID"] = no_trunc ? n.id : n.id.substr(0, 12);
    j["IPv6"] = "false";
    j["Internal"] = n.internal ? "true" : "false";
    j["Labels"] = labels;
    j["Name"] = n.name;
    j["Scope"] = "local";
    return j;
}

Result<bool> network_matches(const NetworkRecord& n, const std::vector<std::string>& filters)
{
    for (const auto& f : filters) {
        auto eq = f.find('=');
        if (eq == std::string::npos)
            return Error(Errc::Invalid, "bad format of filter (expected name=value)");
        std::string key = f.substr(0, eq), value = f.substr(eq + 1);
        if (key == "driver") {
            if (engine::to_string(n.driver) != value)
                return false;
        } else if (key == "id") {
            if (n.id.rfind(value, 0) != 0)
                return false;
        } else if (key == "name") {
            if (n.name.find(value) == std::string::npos)
                return false;
        } else if (key == "label") {
            auto e2 = value.find('=');
            auto it = n.labels.find(value.substr(0, e2));
            if (it == n.labels.end() || (e2 != std::string::npos && it->second != value.substr(e2 + 1)))
                return false;
        } else if (key == "type") {
            if (value != "custom" && value != "builtin")
                return Error(Errc::Invalid, "invalid filter: 'type'='" + value + "'");
            if ((value == "builtin") != n.predefined())
                return false;
        } else if (key == "dangling") {
            if (value != "true" && value != "false" && value != "1" && value != "0")
                return Error(Errc::Invalid, "invalid filter 'dangling=" + value + "'");
            bool want = value == "true" || value == "1";
            bool dangling = !n.predefined() && n.endpoints.empty();
            if (want != dangling)
                return false;
        } else {
            return Error(Errc::Invalid, "invalid filter '" + key + "'");
        }
    }
    return true;
}

} // namespace wharf::cli
