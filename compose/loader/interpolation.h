#pragma once
/// Variable substitution in compose files, as compose-go's `template` package does it:
/// `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`, `${VAR?err}`,
/// `${VAR:+alt}`, `${VAR+alt}`, nested expressions in default/alt/err, `$$` for `$`.
/// Applied to values (never keys) of each file before merging.
///
/// Pure functions over an environment passed in; thread-safe.

#include "compose/loader/node.h"
#include "engine/base/result.h"

#include <map>
#include <set>
#include <string>
#include <string_view>

namespace wharf::compose::loader {

using Environment = std::map<std::string, std::string>;

/// Substitutes variables in `text`. Unset variables without a default become "" and are
/// added to `unset` (for the "variable is not set" warning).
/// Fails: "invalid interpolation format" (`${}`, `${ x}`, `${x!}`), or
/// "required variable X is missing a value: msg" for `:?`/`?`.
Result<std::string> interpolate(std::string_view text, const Environment& env, std::set<std::string>& unset);

/// Interpolates every scalar value of `root` (keys untouched); errors carry the node's
/// mark and attribute path. Marks substituted scalars `interpolated`.
Result<void> interpolate_tree(Node& root, const Environment& env, std::set<std::string>& unset);

} // namespace wharf::compose::loader
