#pragma once
/// Durations ("1m30s", Go syntax) and byte sizes ("64m", "1.5gb", 1024: go-units
/// RAMInBytes, binary multiples) as compose files write them. Pure; thread-safe.

#include "compose/model/types.h"
#include "engine/base/result.h"

#include <string>

namespace wharf::compose::loader {

/// Go's time.ParseDuration; fails with `invalid duration "x"`.
Result<Duration> parse_duration(const std::string& s);

/// `1024`, `64m`, `1g`, `512kb`, `1.5GiB`; fails with `invalid size "x"`.
Result<UnitBytes> parse_bytes(const std::string& s);

} // namespace wharf::compose::loader
