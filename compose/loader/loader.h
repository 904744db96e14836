#pragma once
/// The Compose loader: files + environment + options → one typed, validated, canonical
/// compose::Project. The pipeline (compose-go's order), one phase per step:
///
///   1. discover   -f files, or COMPOSE_FILE, or compose.yaml|compose.yml|docker-compose.yml|
///                 docker-compose.yaml searched upward from the working directory, plus the
///                 override file beside it
///   2. env        --env-file files or <project dir>/.env, overlaid by the process environment
///   3. parse      each file to a Node tree with file:line:col marks (node.h, on libyaml)
///   4. interpolate each file's values (interpolation.h), unless disabled
///   5. include    `include:` entries loaded as sub-projects and imported (conflicts are errors)
///   6. extends    per file, across files, cycles detected
///   7. merge      files in order by the Compose merge rules (merge.h)
///   8. validate   the merged tree against schema/compose.schema.json (schema.h)
///   9. profiles   --profile / COMPOSE_PROFILES / services named on the command line
///  10. transform  short syntax → canonical model, paths resolved (transform.h)
///  11. defaults   default network, resource names, port/volume defaults
///  12. check      references between services, networks, volumes, secrets, configs; an
///                 image or a build per service; network_mode and networks exclusive.
///                 (Dependency cycles are the service graph's to find: compose/graph.)
///
/// Nothing here reads the process environment or the current directory: both are inputs.
/// Files are read through LoadOptions::read_file (the real filesystem by default).
/// Errors are Errc::Invalid with file:line:col and the attribute path, except missing
/// files (Errc::NotFound). Thread-compatible: concurrent loads with separate options are fine.

#include "compose/model/project.h"
#include "engine/base/result.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace wharf::compose {

struct LoadOptions {
    std::vector<std::string> files;             ///< -f, in order; "-" = stdin; empty = discover
    std::string project_name;                   ///< -p (must already be a valid name)
    std::string project_directory;              ///< --project-directory
    std::vector<std::string> profiles;          ///< --profile (else COMPOSE_PROFILES)
    std::vector<std::string> env_files;         ///< --env-file (else <project dir>/.env)
    std::vector<std::string> services;          ///< services named on the command line: enabled
                                                ///< whatever their profiles (and their depends_on);
                                                ///< when given, only these read their env_files
    std::map<std::string, std::string> environment; ///< the process environment
    std::string working_dir;                    ///< the current directory (absolute)
    bool interpolate = true;                    ///< false: --no-interpolate
    bool resolve_paths = true;
    /// Reads a whole file; default reads the real filesystem.
    std::function<Result<std::string>(const std::string& path)> read_file;
    /// Whether a regular file exists; default asks the real filesystem.
    std::function<bool(const std::string& path)> file_exists;
    /// Content of `-f -`; default reads std::cin.
    std::function<Result<std::string>()> read_stdin;
};

/// Where a value of the final model came from, for `config --explain`.
struct ValueOrigin {
    std::string path;       ///< "services.web.image"
    std::string location;   ///< "compose.override.yaml:4:12"
    std::string note;       ///< "from ${TAG} (.env)", "" when written literally
};

struct LoadedProject {
    Project project;
    std::vector<std::string> warnings;    ///< printed by the CLI as "WARN[0000] …"
    std::vector<ValueOrigin> origins;     ///< every scalar of the merged file tree, in order
};

/// Runs the whole pipeline.
Result<LoadedProject> load_project(const LoadOptions& options);

/// Convenience for tests and tools: loads one in-memory file named `name` (relative paths
/// resolve against `working_dir`), with `environment` as the process environment.
Result<LoadedProject> load_from_string(const std::string& yaml, const std::string& name = "compose.yaml",
    const std::string& working_dir = "/project", const std::map<std::string, std::string>& environment = {});

/// Lower-case, keep [a-z0-9_-], strip leading '_'/'-' (directory names and `name:`).
std::string normalize_project_name(const std::string& name);
/// `^[a-z0-9][a-z0-9_-]*$`: what -p and COMPOSE_PROJECT_NAME must already be.
bool is_valid_project_name(const std::string& name);

/// The compose files discovery would pick in `dir` or its parents (with the override
/// file), as absolute paths; empty when there is none.
std::vector<std::string> discover_compose_files(const std::string& dir,
    const std::function<bool(const std::string&)>& file_exists);

} // namespace wharf::compose
