#pragma once
/// Small vocabulary types of the Compose model: durations, byte sizes, mappings.
/// Names follow compose-go (`types.Duration`, `types.UnitBytes`, `types.Mapping`,
/// `types.MappingWithEquals`). Parsing of their short forms lives in compose/loader;
/// here only the values and their canonical text.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wharf::compose {

/// A Go-style duration ("1m30s", "500ms"), held in nanoseconds.
struct Duration {
    int64_t nanoseconds = 0;
    /// Go's time.Duration.String(): "1m30s", "1.5s", "0s" — what `compose config` prints.
    std::string to_string() const;
    bool operator==(const Duration&) const = default;
    auto operator<=>(const Duration&) const = default;
};

/// A size in bytes ("64m" → 67108864). compose-go's UnitBytes.
using UnitBytes = int64_t;

/// KEY → value (labels, driver options, build args without null).
using Mapping = std::map<std::string, std::string>;

/// KEY → value or unset (environment, build args): `FOO` alone with no value and no
/// variable of that name in the environment stays unset (std::nullopt).
using MappingWithEquals = std::map<std::string, std::optional<std::string>>;

/// An argv (command, entrypoint). Unset (std::nullopt in the owner) differs from empty:
/// `command: []` clears the image's CMD.
using ShellCommand = std::vector<std::string>;

using StringList = std::vector<std::string>;

} // namespace wharf::compose
