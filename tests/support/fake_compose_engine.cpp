#include "tests/support/fake_compose_engine.h"

#include <algorithm>
#include <thread>

namespace wharf::compose::test {

using engine::ContainerStatus;

Result<std::string> FakeComposeEngine::find(const std::string& ref)
{
    if (m_containers.count(ref))
        return ref;
    for (const auto& [id, e] : m_containers)
        if (e.record.config.name == ref)
            return id;
    return Error(Errc::NotFound, "No such container: " + ref);
}

void FakeComposeEngine::advance(Entry& e)
{
    auto& st = e.record.state;
    if (st.status != ContainerStatus::Running)
        return;
    auto it = m_behaviour.find(e.record.config.name);
    Behaviour b = it == m_behaviour.end() ? Behaviour{} : it->second;
    if (m_clock.now() - e.started < b.after)
        return;
    if (b.exit_code) {
        st.status = ContainerStatus::Exited;
        st.exit_code = *b.exit_code;
        return;
    }
    if (!st.health.status.empty())
        st.health.status = b.health;
}

Result<std::vector<engine::ContainerRecord>> FakeComposeEngine::list_containers(const Mapping& labels)
{
    std::lock_guard lock(m_mutex);
    std::vector<engine::ContainerRecord> out;
    for (auto& [_, e] : m_containers) {
        advance(e);
        bool match = std::all_of(labels.begin(), labels.end(), [&](const auto& kv) {
            auto l = e.record.config.labels.find(kv.first);
            return l != e.record.config.labels.end() && (kv.second.empty() || l->second == kv.second);
        });
        if (match)
            out.push_back(e.record);
    }
    return out;
}

Result<engine::ContainerRecord> FakeComposeEngine::inspect_container(const std::string& ref)
{
    std::lock_guard lock(m_mutex);
    auto id = TRY(find(ref));
    advance(m_containers[id]);
    return m_containers[id].record;
}

Result<std::vector<ObservedNetwork>> FakeComposeEngine::list_networks()
{
    std::lock_guard lock(m_mutex);
    std::vector<ObservedNetwork> out;
    for (const auto& [_, n] : m_networks)
        out.push_back(n);
    return out;
}

Result<std::vector<engine::Volume>> FakeComposeEngine::list_volumes()
{
    std::lock_guard lock(m_mutex);
    std::vector<engine::Volume> out;
    for (const auto& [_, v] : m_volumes)
        out.push_back(v);
    return out;
}

std::optional<std::string> FakeComposeEngine::image_id(const std::string& ref)
{
    std::lock_guard lock(m_mutex);
    auto it = m_images.find(ref);
    if (it == m_images.end())
        return std::nullopt;
    return it->second;
}

Result<engine::ContainerRecord> FakeComposeEngine::create_container(const ContainerSpec& spec)
{
    std::lock_guard lock(m_mutex);
    const auto& name = spec.config.name;
    if (find(name))
        return Error(Errc::Conflict, "Conflict. The container name \"/" + name + "\" is already in use");
    if (!m_images.count(spec.config.image))
        return Error(Errc::NotFound, "No such image: " + spec.config.image);
    for (const auto& a : spec.config.networks)
        if (!m_networks.count(a.network))
            return Error(Errc::NotFound, "network " + a.network + " not found");
    engine::ContainerRecord r;
    r.config = spec.config;
    // As the engine: namespace modes and volumes_from resolved to IDs, the sources' mounts
    // copied in (not as this container's anonymous volumes), anonymous volumes named.
    for (auto* mode : {&r.config.ipc_mode, &r.config.pid_mode})
        if (mode->starts_with("container:"))
            *mode = "container:" + TRY(find(mode->substr(10)));
    std::vector<std::string> from;
    for (const auto& entry : spec.config.volumes_from) {
        auto colon = entry.rfind(':');
        std::string ref = entry.substr(0, colon), mode = colon == std::string::npos ? "" : entry.substr(colon + 1);
        auto id = TRY(find(ref));
        for (const auto& m : m_containers[id].record.config.mounts) {
            if (std::any_of(r.config.mounts.begin(), r.config.mounts.end(), [&](const auto& x) { return x.target == m.target; }))
                continue;
            auto copy = m;
            if (!mode.empty())
                copy.read_only = mode == "ro";
            copy.anonymous = false;
            copy.no_copy = true;
            copy.create_host_path = false;
            r.config.mounts.push_back(copy);
        }
        from.push_back(mode.empty() ? id : id + ":" + mode);
    }
    r.config.volumes_from = from;
    r.id = "c" + std::to_string(m_next_id++);
    r.config.image_id = m_images[spec.config.image];
    r.config.env = spec.env;
    for (auto& m : r.config.mounts) {
        if (m.type != engine::MountType::Volume)
            continue;
        if (m.source.empty()) {
            m.source = "anon-" + std::to_string(m_next_volume++);
            m.anonymous = true;
        }
        if (!m_volumes.count(m.source))
            m_volumes[m.source].name = m.source;
    }
    r.state.status = ContainerStatus::Created;
    m_containers[r.id] = Entry{r, {}};
    m_calls.push_back("create " + name);
    return r;
}

struct FakeComposeEngine::InFlight {
    FakeComposeEngine& e;
    explicit InFlight(FakeComposeEngine& f) : e(f)
    {
        std::lock_guard lock(e.m_mutex);
        e.m_max_in_flight = std::max(e.m_max_in_flight, ++e.m_in_flight);
    }
    ~InFlight()
    {
        std::lock_guard lock(e.m_mutex);
        --e.m_in_flight;
    }
};

Result<void> FakeComposeEngine::start_container(const std::string& ref)
{
    InFlight busy(*this);
    // Long enough for parallel starts to overlap in real time.
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    std::lock_guard lock(m_mutex);
    auto id = TRY(find(ref));
    auto& e = m_containers[id];
    m_calls.push_back("start " + e.record.config.name);
    if (auto b = m_behaviour.find(e.record.config.name); b != m_behaviour.end() && !b->second.start_error.empty())
        return Error(Errc::Sys, b->second.start_error).context("start container \"" + e.record.config.name + "\"");
    e.record.state.status = ContainerStatus::Running;
    e.record.state.exit_code = 0;
    e.record.state.started_at = "started";
    const auto& hc = e.record.config.healthcheck;
    e.record.state.health.status = hc && !hc->test.empty() && hc->test[0] != "NONE" ? "starting" : "";
    for (const auto& p : e.record.config.publish)
        if (auto bs = engine::parse_publish(p))
            for (const auto& b : *bs)
                if (b.host_port_first)
                    e.record.state.port_mappings.push_back(engine::format_port_mapping(
                        {"0.0.0.0", b.host_port_first, b.container_port, b.proto}));
    e.started = m_clock.now();
    return ok();
}

Result<void> FakeComposeEngine::stop_container(const std::string& ref, std::optional<int>)
{
    std::lock_guard lock(m_mutex);
    auto id = TRY(find(ref));
    auto& st = m_containers[id].record.state;
    m_calls.push_back("stop " + m_containers[id].record.config.name);
    if (st.status == ContainerStatus::Running) {
        st.status = ContainerStatus::Exited;
        st.exit_code = 137;
    }
    st.port_mappings.clear();
    return ok();
}

Result<void> FakeComposeEngine::kill_container(const std::string& ref, const std::string&)
{
    return stop_container(ref, 0);
}

Result<void> FakeComposeEngine::remove_container(const std::string& ref, bool force, bool volumes)
{
    std::lock_guard lock(m_mutex);
    auto id = TRY(find(ref));
    auto r = m_containers[id].record;
    if (r.state.status == ContainerStatus::Running && !force)
        return Error(Errc::Conflict, "cannot remove container \"" + r.config.name + "\": container is running");
    m_calls.push_back("remove " + r.config.name + (volumes ? " -v" : ""));
    m_containers.erase(id);
    if (volumes)
        for (const auto& m : r.config.mounts) {
            if (m.type != engine::MountType::Volume || !m.anonymous)
                continue;
            bool used = std::any_of(m_containers.begin(), m_containers.end(), [&](const auto& kv) {
                const auto& ms = kv.second.record.config.mounts;
                return std::any_of(ms.begin(), ms.end(), [&](const auto& x) { return x.source == m.source; });
            });
            if (!used)
                m_volumes.erase(m.source);
        }
    return ok();
}

Result<void> FakeComposeEngine::create_network(const NetworkSpec& spec)
{
    std::lock_guard lock(m_mutex);
    if (m_networks.count(spec.name))
        return Error(Errc::Conflict, "network with name " + spec.name + " already exists");
    m_networks[spec.name] = ObservedNetwork{"n-" + spec.name, spec.name, spec.labels};
    m_calls.push_back("create network " + spec.name);
    return ok();
}

Result<void> FakeComposeEngine::remove_network(const std::string& name)
{
    std::lock_guard lock(m_mutex);
    if (!m_networks.erase(name))
        return Error(Errc::NotFound, "network " + name + " not found");
    m_calls.push_back("remove network " + name);
    return ok();
}

Result<void> FakeComposeEngine::create_volume(const VolumeSpec& spec)
{
    std::lock_guard lock(m_mutex);
    auto& v = m_volumes[spec.name];
    v.name = spec.name;
    v.labels = spec.labels;
    m_calls.push_back("create volume " + spec.name);
    return ok();
}

Result<void> FakeComposeEngine::remove_volume(const std::string& name)
{
    std::lock_guard lock(m_mutex);
    if (!m_volumes.erase(name))
        return Error(Errc::NotFound, "get " + name + ": no such volume");
    m_calls.push_back("remove volume " + name);
    return ok();
}

Result<void> FakeComposeEngine::check_host_port(const engine::PortBinding& b)
{
    std::lock_guard lock(m_mutex);
    auto it = m_ports.find(b.host_port_first);
    if (it == m_ports.end())
        return ok();
    return Error(Errc::Conflict, "Bind for 0.0.0.0:" + std::to_string(b.host_port_first) +
                                     " failed: port is already allocated (held by " + it->second + ")");
}

bool FakeComposeEngine::path_exists(const std::string& path)
{
    std::lock_guard lock(m_mutex);
    return m_paths.count(path) > 0;
}

void FakeComposeEngine::add_image(const std::string& ref, const std::string& id)
{
    std::lock_guard lock(m_mutex);
    m_images[ref] = id;
}

void FakeComposeEngine::set_behaviour(const std::string& c, Behaviour b)
{
    std::lock_guard lock(m_mutex);
    m_behaviour[c] = std::move(b);
}

void FakeComposeEngine::hold_port(uint16_t port, const std::string& holder)
{
    std::lock_guard lock(m_mutex);
    m_ports[port] = holder;
}

void FakeComposeEngine::add_path(const std::string& path)
{
    std::lock_guard lock(m_mutex);
    m_paths.insert(path);
}

std::vector<std::string> FakeComposeEngine::calls()
{
    std::lock_guard lock(m_mutex);
    return m_calls;
}

std::vector<std::string> FakeComposeEngine::container_names()
{
    std::lock_guard lock(m_mutex);
    std::vector<std::string> out;
    for (const auto& [_, e] : m_containers)
        out.push_back(e.record.config.name);
    std::sort(out.begin(), out.end());
    return out;
}

std::set<std::string> FakeComposeEngine::network_names()
{
    std::lock_guard lock(m_mutex);
    std::set<std::string> out;
    for (const auto& [n, _] : m_networks)
        out.insert(n);
    return out;
}

std::set<std::string> FakeComposeEngine::volume_names()
{
    std::lock_guard lock(m_mutex);
    std::set<std::string> out;
    for (const auto& [n, _] : m_volumes)
        out.insert(n);
    return out;
}

int FakeComposeEngine::max_concurrency()
{
    std::lock_guard lock(m_mutex);
    return m_max_in_flight;
}

} // namespace wharf::compose::test
