#pragma once
/// ObservedState: what exists now, as far as one project is concerned — read from the
/// engine by observe() (compose/execute/observe.h) in one list call per kind, and fed to the
/// pure reconciler. Plain values.

#include "compose/model/types.h"
#include "engine/api/container.h"
#include "engine/api/volume.h"

#include <map>
#include <string>
#include <vector>

namespace wharf::compose {

struct ObservedNetwork {
    std::string id;
    std::string name;
    Mapping labels;
    bool operator==(const ObservedNetwork&) const = default;
};

struct ObservedState {
    /// Containers carrying this project's label, any state, sorted by name.
    std::vector<engine::ContainerRecord> containers;
    /// Every network of the engine, by name (externals are looked up here too).
    std::map<std::string, ObservedNetwork> networks;
    /// Every volume of the engine, by name.
    std::map<std::string, engine::Volume> volumes;
    /// Image reference → image ID, for the images of the project's services that are present.
    std::map<std::string, std::string> images;
};

} // namespace wharf::compose
