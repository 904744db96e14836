#pragma once
/// The labels wharf puts on what `compose up` creates: Docker's `com.docker.compose.*` set,
/// so tools that filter on them (and `docker compose ps` habits) keep working, plus two of
/// wharf's own that make recreation explainable. Labels on the engine objects are the only
/// state compose keeps: observe() reads them back.

namespace wharf::compose::labels {

inline constexpr const char* kProject = "com.docker.compose.project";
inline constexpr const char* kService = "com.docker.compose.service";
inline constexpr const char* kContainerNumber = "com.docker.compose.container-number";
inline constexpr const char* kConfigHash = "com.docker.compose.config-hash";
inline constexpr const char* kOneoff = "com.docker.compose.oneoff";          ///< "True" for `run`
inline constexpr const char* kWorkingDir = "com.docker.compose.project.working_dir";
inline constexpr const char* kConfigFiles = "com.docker.compose.project.config_files";
inline constexpr const char* kEnvironmentFile = "com.docker.compose.project.environment_file";
inline constexpr const char* kDependsOn = "com.docker.compose.depends_on"; ///< "db:service_healthy:false,…"
inline constexpr const char* kImage = "com.docker.compose.image";           ///< image ID at create
inline constexpr const char* kNetwork = "com.docker.compose.network";       ///< network key
inline constexpr const char* kVolume = "com.docker.compose.volume";         ///< volume key
inline constexpr const char* kVersion = "com.docker.compose.version";
inline constexpr const char* kSlug = "com.docker.compose.slug";             ///< `run` containers

/// The canonical service JSON the hash was computed from (config_hash.h), so that a later
/// `up` can say which fields changed.
inline constexpr const char* kServiceConfig = "dev.wharf.compose.service-config";
/// On networks: the canonical network JSON its config-hash label was computed from
/// (network_hash.h), so that a recreate can name the attributes that changed.
inline constexpr const char* kNetworkConfig = "dev.wharf.compose.network-config";
/// The config_hash scheme version (kConfigHashVersion) the hash label was computed with.
inline constexpr const char* kConfigHashVersion = "dev.wharf.compose.config-hash-version";

} // namespace wharf::compose::labels
