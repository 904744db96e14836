#pragma once
/// Top-level non-service resources of a project: networks, volumes, configs, secrets,
/// includes (compose-go `types.NetworkConfig`, `VolumeConfig`, `FileObjectConfig`,
/// `IncludeConfig`). After the loader every entry has its final engine `name`
/// (`<project>_<key>` unless external or named explicitly).

#include "compose/model/types.h"
#include "compose/model/value.h"

#include <optional>
#include <string>
#include <vector>

namespace wharf::compose {

struct IPAMPool {
    std::string subnet;
    std::string gateway;
    std::string ip_range;
    Mapping aux_addresses;
    Extensions extensions;
    bool operator==(const IPAMPool&) const = default;
};

struct IPAMConfig {
    std::string driver;
    std::vector<IPAMPool> config;
    Mapping options;
    Extensions extensions;
    bool operator==(const IPAMConfig&) const = default;
};

struct NetworkConfig {
    std::string name;
    std::string driver;
    Mapping driver_opts;
    IPAMConfig ipam;
    bool external = false;
    bool internal = false;
    bool attachable = false;
    Mapping labels;
    std::optional<bool> enable_ipv4;
    std::optional<bool> enable_ipv6;
    Extensions extensions;
    bool operator==(const NetworkConfig&) const = default;
};

struct VolumeConfig {
    std::string name;
    std::string driver;
    Mapping driver_opts;
    bool external = false;
    Mapping labels;
    Extensions extensions;
    bool operator==(const VolumeConfig&) const = default;
};

/// A top-level `configs:` or `secrets:` entry. Exactly one of file / environment /
/// content / external is the source.
struct FileObjectConfig {
    std::string name;
    std::string file;            ///< absolute after the loader
    std::string environment;     ///< variable name whose value is the content
    std::string content;         ///< inline content
    bool external = false;
    Mapping labels;
    std::string driver;
    Mapping driver_opts;
    std::string template_driver;
    Extensions extensions;
    bool operator==(const FileObjectConfig&) const = default;
};

using ConfigObjConfig = FileObjectConfig;
using SecretConfig = FileObjectConfig;

struct IncludeConfig {
    std::vector<std::string> path;
    std::string project_directory;
    std::vector<std::string> env_file;
    bool operator==(const IncludeConfig&) const = default;
};

} // namespace wharf::compose
