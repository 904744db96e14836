#pragma once
/// The OCI/Docker image configuration as plain values.
///
/// ImageConfig is the `config` object of an image config blob: what a container starts
/// with (Env, Cmd, Entrypoint, WorkingDir, User, ExposedPorts, Volumes, Labels, Healthcheck,
/// StopSignal, Shell). ImageDocument is the whole config blob (platform, created, rootfs
/// diff_ids, history, and the ImageConfig).
///
/// parse_image_document() accepts unknown fields (the OCI spec requires it) and fails with
/// Errc::Invalid naming the field when a known one has the wrong type or rootfs.type is not
/// "layers". serialize() writes canonical JSON (keys sorted, no whitespace): the bytes of a
/// new config blob, so its sha256 is the new image ID. Values only.

#include "engine/api/health.h"
#include "engine/base/digest.h"
#include "engine/base/result.h"

#include <nlohmann/json_fwd.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wharf::engine {

struct ImageConfig {
    std::string user;
    std::vector<std::string> env;        ///< "KEY=VALUE", in order
    std::vector<std::string> entrypoint; ///< empty = none
    std::vector<std::string> cmd;        ///< empty = none
    std::string working_dir;
    std::vector<std::string> exposed_ports; ///< "80/tcp", "53/udp"; sorted, unique
    std::vector<std::string> volumes;       ///< "/data"; sorted, unique
    std::map<std::string, std::string> labels;
    std::string stop_signal;
    std::optional<HealthConfig> healthcheck;
    std::vector<std::string> shell; ///< empty = default ["/bin/sh","-c"]
    std::vector<std::string> on_build;

    /// The value of KEY in env, if set.
    std::optional<std::string> env_value(std::string_view key) const;
    /// Sets KEY=VALUE, replacing an existing KEY in place.
    void set_env(std::string_view key, std::string_view value);
    friend bool operator==(const ImageConfig&, const ImageConfig&) = default;
};

struct HistoryEntry {
    std::string created; ///< RFC 3339, may be empty
    std::string author;
    std::string created_by;
    std::string comment;
    bool empty_layer = false;
    friend bool operator==(const HistoryEntry&, const HistoryEntry&) = default;
};

struct ImageDocument {
    std::string architecture = "amd64";
    std::string os = "linux";
    std::string variant;
    std::string created; ///< RFC 3339
    std::string author;
    ImageConfig config;
    std::vector<Digest> diff_ids; ///< rootfs.diff_ids, base first
    std::vector<HistoryEntry> history;
    friend bool operator==(const ImageDocument&, const ImageDocument&) = default;
};

Result<ImageDocument> parse_image_document(std::string_view json);
/// Canonical JSON bytes of `doc` (a valid config blob).
std::string serialize(const ImageDocument& doc);

/// A healthcheck as image configs and `inspect` show it: {"Test": […]} plus each duration
/// (nanoseconds) and Retries that is set.
nlohmann::json healthcheck_json(const HealthConfig& health);

/// Docker's `--change` / Dockerfile instructions that only touch the config: CMD, ENTRYPOINT,
/// ENV, EXPOSE, WORKDIR, USER, LABEL, VOLUME, STOPSIGNAL, ONBUILD. JSON-array or shell form
/// (`CMD echo hi` = ["/bin/sh","-c","echo hi"]). Fails with Errc::Invalid naming the line.
Result<void> apply_change(ImageConfig& config, std::string_view line);

/// The current UTC time as RFC 3339 with nanoseconds ("2026-01-02T03:04:05.123456789Z").
std::string rfc3339_now();
/// Seconds since the epoch of an RFC 3339 time; nullopt when unparsable.
std::optional<int64_t> parse_rfc3339(std::string_view text);

} // namespace wharf::engine
