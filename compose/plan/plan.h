#pragma once
/// Plan: what `up`/`down` will do, as a value. A list of atomic steps, each with the steps
/// it must wait for and the cause that made the reconciler add it, so a plan can be
/// printed (`up --dry-run`), compared against golden text in tests, and walked by the
/// executor, which makes no decision of its own. Pure values; thread-compatible.
///
/// Text form, one step a line (`to_string`):
///   3. create container shop-web-1 (after 1, 2): no container for replica 1
///   5. wait for db healthy (after 4): web depends on it (service_healthy)

#include "compose/plan/container_spec.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace wharf::compose {

enum class StepKind {
    CreateNetwork,
    CreateVolume,
    CreateContainer,
    StartContainer,
    StopContainer,
    RemoveContainer,
    RemoveNetwork,
    RemoveVolume,
    Wait,
};

/// What a Wait step waits for, on every container of its service.
enum class WaitFor {
    Started,               ///< running (or already exited: it did start)
    Healthy,               ///< health status "healthy"; no healthcheck is an error
    CompletedSuccessfully, ///< exited with code 0
    Ready,                 ///< `up --wait`: running and healthy if it has a healthcheck, or exited 0
};
const char* to_string(WaitFor w);

struct NetworkSpec {
    std::string name;
    std::string driver;
    Mapping labels;
    Mapping options;
    bool internal = false;
    std::string subnet;
    std::string gateway;
    bool operator==(const NetworkSpec&) const = default;
};

struct VolumeSpec {
    std::string name;
    Mapping labels;
    bool operator==(const VolumeSpec&) const = default;
};

struct Step {
    size_t id = 0; ///< 1-based position in Plan::steps
    StepKind kind = StepKind::Wait;
    std::string service;  ///< "" for networks and volumes
    std::string target;   ///< container, network or volume name; the service for Wait
    std::string cause;    ///< why the step exists, for people
    std::vector<size_t> after; ///< ids of steps that must be done first
    /// CreateContainer: what to create.
    std::optional<ContainerSpec> container;
    /// Stop/Remove: the existing container's ID.
    std::string container_id;
    std::optional<int> stop_timeout; ///< StopContainer: seconds (unset: the container's own)
    bool remove_volumes = false;     ///< RemoveContainer: its anonymous volumes too (`down -v`)
    NetworkSpec network;  ///< CreateNetwork
    VolumeSpec volume;    ///< CreateVolume
    WaitFor wait = WaitFor::Started;
    /// Wait: false for `required: false` dependencies: failing to satisfy it only warns.
    bool required = true;
    bool operator==(const Step&) const = default;
};

struct Plan {
    std::vector<Step> steps;
    std::vector<std::string> warnings; ///< e.g. orphan containers found

    /// Appends a step, giving it the next id; returns the id.
    size_t add(Step step);
    bool empty() const { return steps.empty(); }
    /// One line per step (see above), then "warning: …" lines.
    std::string to_string() const;
};

/// "create network", "start container", "wait for", …
std::string describe(const Step& step);

} // namespace wharf::compose
