#include "engine/container/network_hook.h"

namespace wharf::engine {

namespace {
class LoopbackOnly final : public NetworkHook {
public:
    Result<NetworkSetup> attach(const NetworkHookContext&) override { return NetworkSetup{}; }
    void detach(const ContainerRecord&, const std::string&) override {}
};

NetworkHookFactory& factory()
{
    static NetworkHookFactory f;
    return f;
}
} // namespace

void install_network_hook(NetworkHookFactory f) { factory() = std::move(f); }

std::unique_ptr<NetworkHook> make_network_hook(const ContainerRecord& record)
{
    const auto& mode = record.config.network_mode;
    if (factory() && mode != "none" && mode != "host" && !mode.starts_with("container:"))
        if (auto hook = factory()(record))
            return hook;
    return std::make_unique<LoopbackOnly>();
}

} // namespace wharf::engine
