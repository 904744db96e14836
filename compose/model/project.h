#pragma once
/// Project: a whole loaded Compose project — the one value every later step (graph,
/// planner, reconciler, `config`) reads. Built only by compose/loader; afterwards plain,
/// immutable-by-convention data (transforms return a new Project).
///
/// Invariants after a successful load: every service's depends_on / networks / volumes /
/// secrets / configs name an existing entry; network/volume names are final; paths are
/// absolute; services disabled by profiles are in `disabled_services`, not `services`.

#include "compose/model/resources.h"
#include "compose/model/service.h"

#include <map>
#include <string>
#include <vector>

namespace wharf::compose {

struct Project {
    std::string name;                                  ///< normalised project name
    std::string working_dir;                           ///< absolute project directory
    std::map<std::string, ServiceConfig> services;     ///< enabled services
    std::map<std::string, ServiceConfig> disabled_services; ///< excluded by profiles
    std::map<std::string, NetworkConfig> networks;
    std::map<std::string, VolumeConfig> volumes;
    std::map<std::string, ConfigObjConfig> configs;
    std::map<std::string, SecretConfig> secrets;
    Extensions extensions;
    std::vector<std::string> compose_files;            ///< absolute paths, in load order ("-" for stdin)
    std::vector<std::string> env_files;                ///< --env-file paths actually used
    /// The environment interpolation saw (process env overlaid on .env); for hooks,
    /// labels (`com.docker.compose.project.environment_file`) and `config --environment`.
    std::map<std::string, std::string> environment;

    bool operator==(const Project&) const = default;

    /// Names of enabled services, sorted.
    std::vector<std::string> service_names() const;
    /// Every profile named by any service (enabled or not), sorted, unique.
    std::vector<std::string> all_profiles() const;
    /// Pointer to an enabled service, or nullptr.
    const ServiceConfig* find_service(const std::string& name) const;
};

} // namespace wharf::compose
