#include "tools/wharf/container_view.h"

#include "engine/container/clock.h"
#include "engine/container/runtime.h"

#include <ctime>

namespace wharf::cli {

using Json = nlohmann::ordered_json;
using namespace engine;

namespace {
std::string ago(const std::string& when)
{
    auto t = parse_rfc3339(when);
    if (!t)
        return "";
    return human_duration(std::chrono::system_clock::now() - *t) + " ago";
}

std::string docker_time(const std::string& when)
{
    auto t = parse_rfc3339(when);
    if (!t)
        return when;
    time_t secs = std::chrono::system_clock::to_time_t(*t);
    tm utc{};
    gmtime_r(&secs, &utc);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S +0000 UTC", &utc);
    return buf;
}

// Docker's Ellipsis for the COMMAND column: at most 20 characters, the last one "…".
std::string ellipsis(const std::string& s, size_t max)
{
    // Count UTF-8 code points.
    size_t count = 0, cut = std::string::npos;
    for (size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (count == max - 1)
                cut = i;
            ++count;
        }
    }
    if (count <= max)
        return s;
    return s.substr(0, cut) + "…";
}
} // namespace

std::string status_text(const ContainerRecord& r)
{
    const auto& s = r.state;
    switch (s.status) {
    case ContainerStatus::Created: return "Created";
    case ContainerStatus::Running:
    case ContainerStatus::Paused: {
        auto t = parse_rfc3339(s.started_at);
        std::string up = "Up " + (t ? human_duration(std::chrono::system_clock::now() - *t) : std::string("Less than a second"));
        if (s.status == ContainerStatus::Paused) // Docker: before any health text
            up += " (Paused)";
        else if (s.health.status == "starting")
            up += " (health: starting)";
        else if (!s.health.status.empty())
            up += " (" + s.health.status + ")";
        return up;
    }
    case ContainerStatus::Restarting:
        return "Restarting (" + std::to_string(s.exit_code) + ") " + ago(s.finished_at);
    case ContainerStatus::Removing: return "Removal In Progress";
    case ContainerStatus::Dead: return "Dead";
    case ContainerStatus::Exited: return "Exited (" + std::to_string(s.exit_code) + ") " + ago(s.finished_at);
    }
    return "";
}

Json ps_row(const ContainerRecord& r, bool no_trunc)
{
    const auto& c = r.config;
    std::string command;
    for (const auto& part : {c.entrypoint, c.cmd})
        for (const auto& w : part)
            command += (command.empty() ? "" : " ") + w;
    std::string ports;
    for (const auto& p : r.state.port_mappings)
        ports += (ports.empty() ? "" : ", ") + p;
    for (const auto& e : c.exposed_ports) {
        bool mapped = false;
        for (const auto& p : r.state.port_mappings)
            mapped |= p.size() >= e.size() && p.compare(p.size() - e.size(), e.size(), e) == 0;
        if (!mapped)
            ports += (ports.empty() ? "" : ", ") + e;
    }
    std::string labels;
    for (const auto& [k, v] : c.labels)
        labels += (labels.empty() ? "" : ",") + k + "=" + v;
    std::string mounts, networks;
    for (const auto& m : c.mounts)
        if (m.type != MountType::Tmpfs)
            mounts += (mounts.empty() ? "" : ",") + (m.type == MountType::Volume ? (no_trunc ? m.source : ellipsis(m.source, 15)) : m.source);
    if (c.networks.empty())
        networks = c.network_mode;
    for (const auto& n : c.networks)
        networks += (networks.empty() ? "" : ",") + n.network;
    Json j;
    j["Command"] = "\"" + (no_trunc ? command : ellipsis(command, 20)) + "\"";
    j["CreatedAt"] = docker_time(r.created);
    j["ID"] = no_trunc ? r.id : r.id.substr(0, 12);
    j["Image"] = c.image;
    j["Labels"] = labels;
    j["LabelsMap"] = c.labels;
    j["LocalVolumes"] = std::to_string(std::count_if(c.mounts.begin(), c.mounts.end(), [](const MountSpec& m) { return m.type == MountType::Volume; }));
    j["Mounts"] = mounts;
    j["Names"] = c.name;
    j["Networks"] = networks;
    j["Ports"] = ports;
    j["RunningFor"] = ago(r.created);
    j["Size"] = "0B";
    j["State"] = to_string(r.state.status);
    j["Status"] = status_text(r);
    return j;
}

Json inspect_document(const ContainerEngine& eng, const ContainerRecord& r)
{
    Json j = Json::parse(encode_record(r));
    auto paths = container_paths(eng.store(), r.id);
    j["ResolvConfPath"] = paths.resolv;
    j["HostnamePath"] = paths.hostname;
    j["HostsPath"] = paths.hosts;
    j["LogPath"] = paths.log;
    j["Driver"] = "overlay2";
    j["GraphDriver"] = {{"Name", "overlay2"},
                        {"Data", {{"UpperDir", paths.upper}, {"WorkDir", paths.work}, {"MergedDir", paths.merged}}}};
    Json mounts = Json::array();
    for (const auto& m : r.config.mounts) {
        Json mj;
        mj["Type"] = to_string(m.type);
        if (m.type == MountType::Volume) {
            mj["Name"] = m.source;
            mj["Source"] = eng.options().root + "/volumes/" + m.source + "/_data";
            mj["Driver"] = "local";
        } else {
            mj["Source"] = m.source;
        }
        mj["Destination"] = m.target;
        mj["Mode"] = m.type == MountType::Bind ? (m.read_only ? "ro" : "") : (m.type == MountType::Volume ? (m.read_only ? "ro" : "z") : "");
        mj["RW"] = !m.read_only;
        mj["Propagation"] = m.type == MountType::Bind ? "rprivate" : "";
        mounts.push_back(mj);
    }
    j["Mounts"] = mounts;
    j["State"].erase("PidStartTime");
    j["State"].erase("MonitorStartTime");
    j["State"].erase("ManuallyStopped");
    j["State"].erase("NetworkIPs");
    j["State"].erase("PortMappings");
    Json ports = Json::object();
    for (const auto& p : r.state.port_mappings) {
        // "0.0.0.0:8080->80/tcp"
        auto arrow = p.find("->");
        if (arrow == std::string::npos)
            continue;
        std::string host = p.substr(0, arrow), container = p.substr(arrow + 2);
        auto colon = host.rfind(':');
        std::string ip = host.substr(0, colon), hp = host.substr(colon + 1);
        if (!ip.empty() && ip.front() == '[')
            ip = ip.substr(1, ip.size() - 2);
        ports[container].push_back({{"HostIp", ip}, {"HostPort", hp}});
    }
    j["NetworkSettings"]["Ports"] = ports;
    for (const auto& [net, ip] : r.state.network_ips)
        j["NetworkSettings"]["Networks"][net]["IPAddress"] = ip;
    return j;
}

} // namespace wharf::cli
