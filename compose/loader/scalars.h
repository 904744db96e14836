#pragma once
/// Scalar and mapping values of the loader's Node tree converted to model types, as
/// compose-go decodes them: booleans, integers, numbers, durations, byte sizes, file modes,
/// string lists, and KEY=VALUE mappings (list or map form). Each fallible conversion
/// fails with the node's position and the attribute path. Pure; thread-safe.

#include "compose/loader/interpolation.h"
#include "compose/loader/node.h"
#include "compose/model/types.h"
#include "engine/base/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wharf::compose::loader {

/// The scalar's text, "" for null.
std::string str(const Node& n);
/// true/false/yes/no/on/off/y/n (any case); null is false.
Result<bool> boolean(const Node& n, const std::string& path);
/// Decimal, 0x hex or 0o octal.
Result<int64_t> integer(const Node& n, const std::string& path);
Result<double> number(const Node& n, const std::string& path);
/// Go duration text ("1m30s").
Result<Duration> duration(const Node& n, const std::string& path);
/// "64m", "1g", plain bytes.
Result<UnitBytes> bytes(const Node& n, const std::string& path);
/// Octal when written as a string ("0440"); a YAML number as is.
Result<uint32_t> file_mode(const Node& n, const std::string& path);
/// A list of scalars, or one scalar as a list of one.
std::vector<std::string> string_list(const Node& n);
/// Go's fmt.Sprint of a float64.
std::string go_float_text(double f);
/// The text compose-go gives a mapping value (plain numbers and booleans re-printed by Go).
std::string scalar_text(const Node& n);
/// KEY=VALUE list or map → map ("KEY" alone maps to "").
Mapping mapping(const Node& n);
/// KEY=VALUE lists need a key: "=x" is refused.
Result<void> check_keyed_list(const Node& n, const std::string& path);
/// As mapping(), but a bare KEY (or a null value) takes the variable from `env`, or stays unset.
MappingWithEquals mapping_with_equals(const Node& n, const Environment& env);

} // namespace wharf::compose::loader
