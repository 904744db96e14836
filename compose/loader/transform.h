#pragma once
/// Canonicalisation: the merged, validated Node tree → typed model values. Every short form
/// becomes the long form here (ports, volumes, depends_on, networks, build, env_file,
/// extends, secrets/configs, devices, ulimits, healthcheck test, command strings), relative
/// paths are resolved against the directory of the file each value came from, `environment`
/// gets values of bare keys from the environment and values from `env_file`s.
///
/// Pure apart from reading env_file / label_file contents through `read_file`.

#include "compose/loader/interpolation.h"
#include "compose/loader/node.h"
#include "compose/model/project.h"
#include "engine/base/result.h"

#include <functional>
#include <string>
#include <vector>

namespace wharf::compose::loader {

struct TransformContext {
    const Environment& environment;                     ///< for bare `environment: [KEY]`
    std::string home;                                   ///< for `~` in paths
    bool resolve_paths = true;
    bool interpolate = true;                            ///< false: env_file contents are not read
    /// false: env_file contents are not read (services disabled by profiles: docker compose
    /// neither reads nor requires their env files)
    bool read_env_files = true;
    std::function<Result<std::string>(const std::string&)> read_file;
    std::vector<std::string>& warnings;
};

Result<ServiceConfig> transform_service(const std::string& name, const Node& n, TransformContext& ctx);
Result<NetworkConfig> transform_network(const std::string& key, const Node& n, TransformContext& ctx);
Result<VolumeConfig> transform_volume(const std::string& key, const Node& n, TransformContext& ctx);
Result<FileObjectConfig> transform_file_object(const std::string& path, const Node& n, TransformContext& ctx);

/// A converted scalar or extension value (for `x-*`).
Value to_value(const Node& n);

/// go-shellwords splitting of a command string ("sh -c 'echo hi'" → {"sh","-c","echo hi"}).
Result<std::vector<std::string>> shell_split(const std::string& s);

} // namespace wharf::compose::loader
