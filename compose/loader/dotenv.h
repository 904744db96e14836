#pragma once
/// `.env` / `env_file` parsing (compose-go `dotenv` rules): `KEY=VALUE`, `export KEY=VALUE`,
/// `#` comments (inline only after whitespace in unquoted values), single quotes literal,
/// double quotes with `\n` `\t` `\"` `\\` escapes, `${VAR}` expansion in unquoted and
/// double-quoted values looking at `lookup` first, then at keys defined earlier in the file.
/// A bare `KEY` takes its value from `lookup` and is left out when that has none.
/// `raw` format (env_file `format: raw`) keeps values verbatim.
///
/// Pure; thread-safe.

#include "compose/loader/interpolation.h"
#include "engine/base/result.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace wharf::compose::loader {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

/// Fails with "<name>:<line>: unexpected character … in variable name" style errors.
Result<Environment> parse_dotenv(std::string_view text, const std::string& name, const EnvLookup& lookup,
    bool raw = false);

} // namespace wharf::compose::loader
