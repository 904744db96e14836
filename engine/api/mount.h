#pragma once
/// MountSpec: one user mount of a container, as a plain value. The CLI's `-v`/`--mount`/
/// `--tmpfs` and Compose's `volumes:` both turn into these; the runtime consumes them.
///
///   bind    source = absolute host path
///   volume  source = volume name ("" = anonymous: a random name is given at create)
///   tmpfs   source unused; options carry size=/mode=

#include "engine/base/result.h"

#include <string>
#include <vector>

namespace wharf::engine {

enum class MountType { Bind, Volume, Tmpfs };

struct MountSpec {
    MountType type = MountType::Bind;
    std::string source;
    std::string target;
    bool read_only = false;
    /// Bind only: create a missing host directory (`-v` and Compose short syntax do;
    /// `--mount type=bind` does not and fails instead).
    bool create_host_path = false;
    /// Volume only: do not fill a new volume from the image (`nocopy`, `volume-nocopy`).
    bool no_copy = false;
    /// Volume only: an anonymous volume, removed with `rm -v` / `--rm`.
    bool anonymous = false;
    /// Bind propagation ("rprivate" default), tmpfs size/mode options ("size=65536k", "mode=1777").
    std::vector<std::string> options;

    bool operator==(const MountSpec&) const = default;
};

const char* to_string(MountType type);

/// Parses Docker's `-v [SOURCE:]TARGET[:MODE]`. A relative source starting with `.` is made
/// absolute against `cwd`; other non-absolute sources name volumes.
Result<MountSpec> parse_volume_flag(const std::string& text, const std::string& cwd);
/// Parses Docker's `--mount type=…,source=…,target=…[,readonly][,…]`.
Result<MountSpec> parse_mount_flag(const std::string& text, const std::string& cwd);
/// Parses `--tmpfs /path[:options]`.
Result<MountSpec> parse_tmpfs_flag(const std::string& text);

} // namespace wharf::engine
