#pragma once
/// ComposeEngine: everything compose needs from the engine, and nothing more — the seam
/// between compose/ and engine/. Values are engine/api types (ContainerRecord, Volume,
/// PortBinding) and the plan's own (ContainerSpec, NetworkSpec, VolumeSpec). The real
/// implementation (tools/wharf/compose_engine.cpp) wraps the container, network, volume and
/// image stores; unit tests use a fake (tests/support/fake_compose_engine.h), and one
/// conformance suite runs against both.
///
/// Implementations must allow concurrent calls from several threads (the executor runs
/// independent steps in parallel). Errors carry the engine's own context.

#include "compose/plan/observed.h"
#include "compose/plan/plan.h"
#include "engine/api/container.h"
#include "engine/api/port.h"
#include "engine/api/volume.h"
#include "engine/base/result.h"

#include <optional>
#include <string>
#include <vector>

namespace wharf::compose {

class ComposeEngine {
public:
    virtual ~ComposeEngine() = default;

    /// Containers in any state carrying every label of `labels` ("" value: the key only).
    virtual Result<std::vector<engine::ContainerRecord>> list_containers(const Mapping& labels) = 0;
    virtual Result<engine::ContainerRecord> inspect_container(const std::string& name_or_id) = 0;
    virtual Result<std::vector<ObservedNetwork>> list_networks() = 0;
    virtual Result<std::vector<engine::Volume>> list_volumes() = 0;
    /// The ID of the local image `ref`, or nullopt when it is not present.
    virtual std::optional<std::string> image_id(const std::string& ref) = 0;

    virtual Result<engine::ContainerRecord> create_container(const ContainerSpec& spec) = 0;
    virtual Result<void> start_container(const std::string& name_or_id) = 0;
    /// `timeout` seconds before SIGKILL (unset: the container's stop_grace_period or 10).
    virtual Result<void> stop_container(const std::string& name_or_id, std::optional<int> timeout) = 0;
    virtual Result<void> kill_container(const std::string& name_or_id, const std::string& signal) = 0;
    /// Removes a stopped container (force: a running one too); `volumes`: its anonymous ones.
    virtual Result<void> remove_container(const std::string& name_or_id, bool force, bool volumes) = 0;

    virtual Result<void> create_network(const NetworkSpec& spec) = 0;
    virtual Result<void> remove_network(const std::string& name) = 0;
    virtual Result<void> create_volume(const VolumeSpec& spec) = 0;
    virtual Result<void> remove_volume(const std::string& name) = 0;

    /// Whether the host port(s) of `binding` can be bound now; Conflict naming the holder
    /// ("Bind for 0.0.0.0:8080 failed: port is already allocated (held by pid 12 \"nginx\")").
    virtual Result<void> check_host_port(const engine::PortBinding& binding) = 0;
    /// Whether a host path exists (bind sources).
    virtual bool path_exists(const std::string& path) = 0;
};

/// The project's state, one list call per kind: containers by the project label, all
/// networks and volumes, and the IDs of the services' images that are present.
Result<ObservedState> observe(ComposeEngine& engine, const Project& project);

} // namespace wharf::compose
