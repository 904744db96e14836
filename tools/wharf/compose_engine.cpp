// The real compose engine adapter (see compose_engine.h).
#include "tools/wharf/compose_engine.h"

#include "engine/container/container_engine.h"
#include "engine/image/image_store.h"
#include "engine/network/network_store.h"
#include "engine/port/port_allocator.h"

#include <map>
#include <mutex>
#include <sys/stat.h>
#include <thread>

namespace wharf::cli {
namespace {

class WharfComposeEngine final : public compose::ComposeEngine {
public:
    explicit WharfComposeEngine(engine::EngineOptions options) : m_options(std::move(options)) {}

    Result<std::vector<engine::ContainerRecord>> list_containers(const compose::Mapping& labels) override
    {
        auto* eng = TRY(containers());
        engine::ListFilter f;
        f.all = true;
        for (const auto& [k, v] : labels)
            f.labels.push_back(v.empty() ? k : k + "=" + v);
        return eng->list(f);
    }

    Result<engine::ContainerRecord> inspect_container(const std::string& ref) override
    {
        auto* eng = TRY(containers());
        return eng->inspect(ref);
    }

    Result<std::vector<compose::ObservedNetwork>> list_networks() override
    {
        auto store = TRY(engine::NetworkStore::open(m_options.root));
        std::vector<compose::ObservedNetwork> out;
        for (const auto& n : TRY(store.list()))
            out.push_back({n.id, n.name, n.labels});
        return out;
    }

    Result<std::vector<engine::Volume>> list_volumes() override
    {
        auto* eng = TRY(containers());
        return eng->volumes().list();
    }

    std::optional<std::string> image_id(const std::string& ref) override
    {
        auto store = engine::ImageStore::open(m_options.root);
        if (!store)
            return std::nullopt;
        auto img = store->resolve(ref);
        if (!img)
            return std::nullopt;
        return img->id.str();
    }

    Result<engine::ContainerRecord> create_container(const compose::ContainerSpec& spec) override
    {
        auto* eng = TRY(containers());
        engine::CreateRequest req;
        req.config = spec.config;
        req.entrypoint_set = spec.entrypoint_set;
        req.user_env = spec.env;
        return eng->create(std::move(req));
    }

    Result<void> start_container(const std::string& ref) override
    {
        auto* eng = TRY(containers());
        TRY(eng->start(ref));
        return ok();
    }

    Result<void> stop_container(const std::string& ref, std::optional<int> timeout) override
    {
        auto* eng = TRY(containers());
        return eng->stop(ref, timeout);
    }

    Result<void> kill_container(const std::string& ref, const std::string& signal) override
    {
        auto* eng = TRY(containers());
        return eng->kill(ref, signal);
    }

    Result<void> remove_container(const std::string& ref, bool force, bool volumes) override
    {
        auto* eng = TRY(containers());
        return eng->remove(ref, force, volumes);
    }

    Result<void> create_network(const compose::NetworkSpec& spec) override
    {
        auto store = TRY(engine::NetworkStore::open(m_options.root));
        engine::NetworkCreateOptions o;
        o.name = spec.name;
        if (!spec.driver.empty() && spec.driver != "bridge")
            return Error(Errc::Invalid, "network " + spec.name + ": driver \"" + spec.driver + "\" is not supported");
        o.labels = spec.labels;
        o.options = spec.options;
        o.internal = spec.internal;
        o.subnet = spec.subnet;
        o.gateway = spec.gateway;
        TRY(store.create(o));
        return ok();
    }

    Result<void> remove_network(const std::string& name) override
    {
        auto store = TRY(engine::NetworkStore::open(m_options.root));
        return store.remove(name);
    }

    Result<void> create_volume(const compose::VolumeSpec& spec) override
    {
        auto* eng = TRY(containers());
        TRY(eng->volumes().create(spec.name, spec.labels));
        return ok();
    }

    Result<void> remove_volume(const std::string& name) override
    {
        auto* eng = TRY(containers());
        auto users = eng->volume_users(name);
        if (!users.empty())
            return Error(Errc::Conflict, "remove " + name + ": volume is in use - [" + users.front() + "]");
        return eng->volumes().remove(name);
    }

    Result<void> check_host_port(const engine::PortBinding& binding) override
    {
        // Binding and closing at once is the only honest test; the listeners close here.
        TRY(engine::bind_ports({binding}));
        return ok();
    }

    bool path_exists(const std::string& path) override
    {
        struct stat st{};
        return ::stat(path.c_str(), &st) == 0;
    }

private:
    Result<engine::ContainerEngine*> containers()
    {
        std::lock_guard lock(m_mutex);
        auto& slot = m_engines[std::this_thread::get_id()];
        if (!slot)
            slot = std::make_unique<engine::ContainerEngine>(TRY(engine::ContainerEngine::open(m_options)));
        return slot.get();
    }

    engine::EngineOptions m_options;
    std::mutex m_mutex;
    std::map<std::thread::id, std::unique_ptr<engine::ContainerEngine>> m_engines;
};

} // namespace

Result<std::unique_ptr<compose::ComposeEngine>> open_compose_engine(const std::string& root, const std::string& wharf_binary)
{
    engine::EngineOptions o;
    o.root = root;
    o.wharf_binary = wharf_binary;
    // Fail early (bad root) rather than on the first call.
    TRY(engine::ContainerEngine::open(o));
    return std::unique_ptr<compose::ComposeEngine>(std::make_unique<WharfComposeEngine>(std::move(o)));
}

Result<std::unique_ptr<compose::ComposeEngine>> open_compose_engine(const Context& ctx)
{
    return open_compose_engine(ctx.global.root);
}

} // namespace wharf::cli
