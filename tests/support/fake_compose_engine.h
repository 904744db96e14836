#pragma once
// FakeComposeEngine: an in-memory compose::ComposeEngine for unit tests of the executor
// and the CLI-free parts of `up`/`down`, plus a fake clock. Containers follow a script
// (health after a delay, exit codes) measured on the fake clock. Thread-safe (one mutex),
// as the executor calls it from several threads. Every mutating call is logged in `calls`.
#include "compose/execute/engine.h"
#include "compose/execute/executor.h"

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace wharf::compose::test {

class FakeClock final : public Clock {
public:
    TimePoint now() override
    {
        std::lock_guard lock(m_mutex);
        return m_now;
    }
    void sleep(std::chrono::milliseconds d) override
    {
        std::lock_guard lock(m_mutex);
        m_now += d;
    }

private:
    std::mutex m_mutex;
    TimePoint m_now{};
};

/// What a container does once started (by container name).
struct Behaviour {
    std::chrono::milliseconds after{0};   ///< when the outcome below applies, after start
    std::string health = "healthy";       ///< status once `after` passed (containers with a healthcheck)
    std::optional<int> exit_code;         ///< exits with it once `after` passed
    std::string start_error;              ///< start fails with this message
};

inline Behaviour exits_after(std::chrono::milliseconds after, int code)
{
    Behaviour b;
    b.after = after;
    b.exit_code = code;
    return b;
}
inline Behaviour health_after(std::chrono::milliseconds after, std::string status)
{
    Behaviour b;
    b.after = after;
    b.health = std::move(status);
    return b;
}
inline Behaviour start_fails(std::string message)
{
    Behaviour b;
    b.start_error = std::move(message);
    return b;
}

class FakeComposeEngine final : public ComposeEngine {
public:
    explicit FakeComposeEngine(Clock& clock) : m_clock(clock) {}

    Result<std::vector<engine::ContainerRecord>> list_containers(const Mapping& labels) override;
    Result<engine::ContainerRecord> inspect_container(const std::string& name_or_id) override;
    Result<std::vector<ObservedNetwork>> list_networks() override;
    Result<std::vector<engine::Volume>> list_volumes() override;
    std::optional<std::string> image_id(const std::string& ref) override;
    Result<engine::ContainerRecord> create_container(const ContainerSpec& spec) override;
    Result<void> start_container(const std::string& name_or_id) override;
    Result<void> stop_container(const std::string& name_or_id, std::optional<int> timeout) override;
    Result<void> kill_container(const std::string& name_or_id, const std::string& signal) override;
    Result<void> remove_container(const std::string& name_or_id, bool force, bool volumes) override;
    Result<void> create_network(const NetworkSpec& spec) override;
    Result<void> remove_network(const std::string& name) override;
    Result<void> create_volume(const VolumeSpec& spec) override;
    Result<void> remove_volume(const std::string& name) override;
    Result<void> check_host_port(const engine::PortBinding& binding) override;
    bool path_exists(const std::string& path) override;

    // Test setup and inspection (take the lock themselves).
    void add_image(const std::string& ref, const std::string& id);
    void set_behaviour(const std::string& container, Behaviour b);
    void hold_port(uint16_t port, const std::string& holder);
    void add_path(const std::string& path);
    std::vector<std::string> calls();
    std::vector<std::string> container_names();
    std::set<std::string> network_names();
    std::set<std::string> volume_names();
    /// Steps in flight at once, at most, since construction.
    int max_concurrency();

private:
    struct Entry {
        engine::ContainerRecord record;
        Clock::TimePoint started{};
    };
    Result<std::string> find(const std::string& name_or_id);
    void advance(Entry& e);
    struct InFlight;

    Clock& m_clock;
    std::mutex m_mutex;
    std::map<std::string, Entry> m_containers; // by id
    std::map<std::string, ObservedNetwork> m_networks;
    std::map<std::string, engine::Volume> m_volumes;
    std::map<std::string, std::string> m_images;
    std::map<std::string, Behaviour> m_behaviour;
    std::map<uint16_t, std::string> m_ports;
    std::set<std::string> m_paths;
    std::vector<std::string> m_calls;
    int m_next_id = 1;
    int m_next_volume = 1;
    int m_in_flight = 0;
    int m_max_in_flight = 0;
};

} // namespace wharf::compose::test
