#pragma once
/// Docker's confirmation prompt for destructive verbs (prune): prints `warning`, then
/// "Are you sure you want to continue? [y/N] ", reads one line from stdin; true for y/Y.

#include <string>

namespace wharf::cli {

bool confirm(const std::string& warning);

} // namespace wharf::cli
