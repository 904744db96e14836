#include "compose/execute/engine.h"
#include "compose/plan/labels.h"

#include <algorithm>

namespace wharf::compose {

Result<ObservedState> observe(ComposeEngine& engine, const Project& project)
{
    ObservedState o;
    o.containers = TRY(engine.list_containers({{labels::kProject, project.name}}));
    std::sort(o.containers.begin(), o.containers.end(),
              [](const auto& a, const auto& b) { return a.config.name < b.config.name; });
    for (auto& n : TRY(engine.list_networks()))
        o.networks[n.name] = std::move(n);
    for (auto& v : TRY(engine.list_volumes()))
        o.volumes[v.name] = std::move(v);
    for (const auto& [_, s] : project.services) {
        std::string ref = s.image_name(project.name);
        if (o.images.count(ref))
            continue;
        if (auto id = engine.image_id(ref))
            o.images[ref] = *id;
    }
    return o;
}

} // namespace wharf::compose
