#include "engine/container/container_event.h"

namespace wharf::engine {

Event container_event(const ContainerRecord& r, const std::string& action, const std::map<std::string, std::string>& extra)
{
    Event e;
    e.type = "container";
    e.action = action;
    e.id = r.id;
    e.attributes = r.config.labels;
    e.attributes["image"] = r.config.image;
    e.attributes["name"] = r.config.name;
    for (const auto& [k, v] : extra)
        e.attributes[k] = v;
    return e;
}

void emit_container_event(const std::string& root, const ContainerRecord& r, const std::string& action,
                          const std::map<std::string, std::string>& extra) noexcept
{
    try {
        record_event(root, container_event(r, action, extra));
    } catch (...) {
        // Best effort: the action itself already happened.
    }
}

} // namespace wharf::engine
