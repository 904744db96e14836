#pragma once
/// ServiceVolumeConfig: one mount of a service, canonical long form (compose-go
/// `types.ServiceVolumeConfig`). The loader turns `./data:/data:ro`, `name:/x`, `/anon`
/// into these, resolves relative/`~` bind sources against the project directory, and
/// fills `bind.create_host_path = true` for short-syntax binds (as compose-go does).

#include "compose/model/types.h"
#include "compose/model/value.h"

#include <cstdint>
#include <optional>
#include <string>

namespace wharf::compose {

enum class VolumeType { Bind, Volume, Tmpfs, Npipe, Cluster, Image };

/// "bind", "volume", … ; parse returns nullopt for an unknown word.
const char* to_string(VolumeType t);
std::optional<VolumeType> parse_volume_type(const std::string& s);

struct ServiceVolumeBind {
    std::string propagation;              ///< "", rprivate, private, rshared, shared, rslave, slave
    bool create_host_path = false;        ///< short syntax sets true
    std::string selinux;                  ///< "", "z" or "Z"
    std::string recursive;                ///< "", enabled, disabled, writable, readonly
    bool operator==(const ServiceVolumeBind&) const = default;
};

struct ServiceVolumeVolume {
    bool nocopy = false;
    std::string subpath;
    Mapping labels;
    bool operator==(const ServiceVolumeVolume&) const = default;
};

struct ServiceVolumeTmpfs {
    std::optional<UnitBytes> size;
    std::optional<uint32_t> mode;         ///< file mode bits, e.g. 01777
    bool operator==(const ServiceVolumeTmpfs&) const = default;
};

struct ServiceVolumeImage {
    std::string subpath;
    bool operator==(const ServiceVolumeImage&) const = default;
};

struct ServiceVolumeConfig {
    VolumeType type = VolumeType::Volume;
    std::string source;      ///< volume key, absolute host path, image ref, or "" (anonymous / tmpfs)
    std::string target;      ///< absolute path in the container
    bool read_only = false;
    std::string consistency;
    std::optional<ServiceVolumeBind> bind;
    std::optional<ServiceVolumeVolume> volume;
    std::optional<ServiceVolumeTmpfs> tmpfs;
    std::optional<ServiceVolumeImage> image;
    Extensions extensions;

    bool operator==(const ServiceVolumeConfig&) const = default;
};

} // namespace wharf::compose
