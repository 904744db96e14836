#pragma once
/// OCI / Docker schema 2 manifests and indexes as values (engine-reference §3.1).
///
/// parse_manifest()/parse_index() read the exact bytes fetched or loaded; they never
/// re-serialize them (the digest is of the original bytes). serialize(Manifest) makes the
/// bytes for a new image (OCI media types). Unknown fields and unknown descriptor media
/// types are tolerated. Values only.

#include "engine/base/digest.h"
#include "engine/base/result.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wharf::engine {

namespace media {
inline constexpr const char* kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr const char* kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char* kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr const char* kOciLayer = "application/vnd.oci.image.layer.v1.tar";
inline constexpr const char* kOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr const char* kOciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr const char* kDockerList = "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr const char* kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr const char* kDockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr const char* kDockerLayer = "application/vnd.docker.image.rootfs.diff.tar";
inline constexpr const char* kDockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
inline constexpr const char* kDockerSchema1 = "application/vnd.docker.distribution.manifest.v1+prettyjws";
inline constexpr const char* kDockerSchema1Plain = "application/vnd.docker.distribution.manifest.v1+json";
/// Every manifest type wharf parses, for the registry's Accept header.
inline constexpr const char* kAcceptManifests =
    "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";

bool is_index(std::string_view type);
bool is_manifest(std::string_view type);
bool is_layer(std::string_view type);
} // namespace media

struct Platform {
    std::string os = "linux";
    std::string architecture = "amd64";
    std::string variant;
    std::string str() const { return os + "/" + architecture + (variant.empty() ? "" : "/" + variant); }
    friend bool operator==(const Platform&, const Platform&) = default;
};

/// Normalises as containerd does: x86_64 -> amd64, aarch64 -> arm64 (v8 = none), armhf -> arm/v7…
Platform normalize_platform(Platform p);
/// The machine's platform (uname), normalised.
Platform host_platform();
/// Parses "linux/amd64", "linux/arm/v7".
Result<Platform> parse_platform(std::string_view text);

struct Descriptor {
    std::string media_type;
    Digest digest;
    int64_t size = 0;
    std::optional<Platform> platform;
    std::map<std::string, std::string> annotations;
    std::vector<std::string> urls;
};

struct Manifest {
    std::string media_type; ///< from the document, or the transport's Content-Type
    Descriptor config;
    std::vector<Descriptor> layers; ///< base first
    std::map<std::string, std::string> annotations;
};

struct Index {
    std::string media_type;
    std::vector<Descriptor> manifests;
    std::map<std::string, std::string> annotations;
};

/// The mediaType field of a manifest/index document, or "" when absent.
Result<std::string> sniff_media_type(std::string_view json);
/// `content_type` (may be empty) is the transport's type; the body's mediaType must agree.
Result<Manifest> parse_manifest(std::string_view json, std::string_view content_type = {});
Result<Index> parse_index(std::string_view json, std::string_view content_type = {});

/// The first manifest in `index` for `want` (with containerd's variant fallbacks); skips
/// attestations and unknown media types. Errc::NotFound names the platform and those offered.
Result<Descriptor> select_platform(const Index& index, const Platform& want);

/// Canonical JSON of an OCI (or Docker, by media_type) manifest.
std::string serialize(const Manifest& m);
/// Canonical JSON of an OCI index.
std::string serialize(const Index& idx);

} // namespace wharf::engine
