#pragma once
/// Volume short syntax → ServiceVolumeConfig (compose-go `format.ParseVolume`):
/// `target` (anonymous volume), `source:target[:options]` where source is a path (starts
/// with `.`, `/` or `~`: a bind) or a volume name; options are a comma list of `ro`, `rw`,
/// `z`, `Z`, propagation modes, `nocopy`. Unknown options are kept out of the model and
/// returned in `ignored` so the loader can warn, as compose-go silently ignores them.
/// Paths are not resolved here. Pure; thread-safe.

#include "compose/model/volume.h"
#include "engine/base/result.h"

#include <string>
#include <vector>

namespace wharf::compose::loader {

/// Fails with `invalid volume "<spec>": <reason>`.
Result<ServiceVolumeConfig> parse_volume_spec(const std::string& spec, std::vector<std::string>& ignored);

} // namespace wharf::compose::loader
