#pragma once
/// The one way every `wharf compose …` verb turns its inputs into a loaded project: the
/// `compose` group's global options (-f, -p, --project-directory, --profile, --env-file;
/// cli::ComposeOptions), the process environment and the current directory go into
/// compose::load_project. Loader warnings are printed here, once, as docker compose
/// prints them ("WARN[0000] …" on stderr).
///
/// Not thread-safe (reads the process environment and cwd).

#include "compose/loader/loader.h"
#include "tools/wharf/verb.h"

#include <map>
#include <string>
#include <vector>

namespace wharf::cli {

struct ComposeLoadRequest {
    std::vector<std::string> services;   ///< services named on the command line (enabled despite profiles)
    bool interpolate = true;             ///< false for `config --no-interpolate`
    bool resolve_paths = true;
    bool print_warnings = true;          ///< print loader warnings to stderr
};

/// Loads the project the compose options describe.
Result<compose::LoadedProject> load_compose_project(const ComposeOptions& options,
    const ComposeLoadRequest& request = {});

/// Prints each warning as `WARN[0000] <text>` on stderr.
void print_compose_warnings(const std::vector<std::string>& warnings);

/// The process environment as a map (for compose::LoadOptions::environment).
std::map<std::string, std::string> process_environment();

/// The current directory (absolute); "/" if it cannot be determined.
std::string current_directory();

} // namespace wharf::cli
