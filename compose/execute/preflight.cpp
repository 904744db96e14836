#include "compose/execute/preflight.h"

#include <map>
#include <set>

namespace wharf::compose {

namespace {

// "0.0.0.0:8080->80/tcp" entries of containers the plan stops or removes: their ports will
// be free by the time a new container binds them.
std::set<std::pair<uint16_t, engine::PortProto>> freed_ports(const Plan& plan, const ObservedState& o)
{
    std::set<std::string> going;
    for (const auto& s : plan.steps)
        if (s.kind == StepKind::RemoveContainer || s.kind == StepKind::StopContainer)
            going.insert(s.container_id);
    std::set<std::pair<uint16_t, engine::PortProto>> out;
    for (const auto& r : o.containers) {
        if (!going.count(r.id))
            continue;
        for (const auto& m : r.state.port_mappings)
            if (auto p = engine::parse_port_mapping(m))
                out.insert({p->host_port, p->proto});
        // A stopped container holds nothing; its configured fixed ports are free too.
        for (const auto& spec : r.config.publish)
            if (auto bs = engine::parse_publish(spec))
                for (const auto& b : *bs)
                    if (b.host_port_first && b.host_port_first == b.host_port_last)
                        out.insert({b.host_port_first, b.proto});
    }
    return out;
}

} // namespace

Result<void> preflight(const Plan& plan, const ObservedState& observed, ComposeEngine& engine)
{
    auto freed = freed_ports(plan, observed);
    std::map<std::pair<std::string, std::pair<uint16_t, engine::PortProto>>, std::string> claimed;
    std::set<std::string> images_checked;
    for (const auto& step : plan.steps) {
        if (step.kind != StepKind::CreateContainer || !step.container)
            continue;
        const auto& c = step.container->config;
        std::string frame = "service \"" + step.service + "\"";
        if (images_checked.insert(c.image).second && !observed.images.count(c.image) && !engine.image_id(c.image))
            return Error(Errc::NotFound, "image " + c.image + " not found locally (and not pulled: pull_policy never, "
                                                              "--pull never or a failed pull)")
                .context(frame);
        for (const auto& m : c.mounts)
            if (m.type == engine::MountType::Bind && !m.create_host_path && !engine.path_exists(m.source))
                return Error(Errc::Invalid, "bind source path does not exist: " + m.source).context(frame);
        for (const auto& spec : c.publish) {
            auto bindings = engine::parse_publish(spec);
            if (!bindings)
                return std::move(bindings).error().context(frame);
            for (const auto& b : *bindings) {
                if (!b.host_port_first || b.host_port_first != b.host_port_last)
                    continue; // ephemeral or a range: chosen at start
                auto key = std::pair(b.host_ip, std::pair(b.host_port_first, b.proto));
                if (auto it = claimed.find(key); it != claimed.end())
                    return Error(Errc::Conflict, "host port " + std::to_string(b.host_port_first) + "/" +
                                                     std::string(engine::to_string(b.proto)) + " is published by both " +
                                                     it->second + " and " + c.name)
                        .context(frame);
                claimed[key] = c.name;
                if (freed.count({b.host_port_first, b.proto}))
                    continue;
                TRY_CTX(engine.check_host_port(b), frame);
            }
        }
    }
    return ok();
}

} // namespace wharf::compose
