#pragma once
/// ContainerSpec: what the engine is asked to create for replica `number` of a service —
/// an engine::ContainerConfig (engine/api) in the user's terms, before the image's defaults
/// are merged in by the engine. Built here, from the canonical ServiceConfig, so that the
/// plan is complete and printable before anything runs. Pure; thread-safe.
///
/// Translation (as docker compose's `getCreateConfigs`):
///   name          container_name, else <project>-<service>-<number>
///   env           environment (unset values dropped), after the image's
///   entrypoint    set (possibly to []) only when the service sets it
///   network_mode  host/none as given; otherwise the service's first network (by priority
///                 then name) with an endpoint on every network, aliases = service name +
///                 `aliases`
///   publish       one `-p` text per PortConfig ("127.0.0.1:8080:80/tcp")
///   mounts        binds as given, named volumes by their engine name, tmpfs with size/mode
///   volumes_from  `service:x`/`x` → replica 1 of x, `container:name` → name, ":ro"/":rw" kept
///   ipc, pid      `service:x` → "container:<replica 1 of x>"; others as given
///   labels        the service's labels + the com.docker.compose.* set (labels.h)
/// Errors (Invalid) name the service and the attribute wharf cannot honour yet.

#include "compose/model/project.h"
#include "engine/api/container.h"
#include "engine/base/result.h"

#include <map>
#include <string>
#include <vector>

namespace wharf::compose {

struct ContainerSpec {
    engine::ContainerConfig config;
    bool entrypoint_set = false;      ///< the service sets `entrypoint` (then the image's CMD is dropped)
    std::vector<std::string> env;     ///< KEY=VALUE, overriding the image's Env
    int number = 1;                   ///< replica number (com.docker.compose.container-number)
    bool operator==(const ContainerSpec&) const = default;
};

struct SpecContext {
    const Project& project;
    std::string image_id;      ///< the image's ID now, for the image label ("" when unknown)
    std::string tool_version;  ///< com.docker.compose.version
};

/// The container name for replica `number` (container_name wins).
std::string container_name(const Project& project, const ServiceConfig& service, int number);
/// Engine name of the network the service's key refers to.
std::string network_name(const Project& project, const std::string& key);

Result<ContainerSpec> make_container_spec(const SpecContext& ctx, const ServiceConfig& service, int number);

/// Docker's `-p` text for one port ("127.0.0.1:8080:80/tcp", "80/udp" when ephemeral).
std::string publish_text(const PortConfig& port);

} // namespace wharf::compose
