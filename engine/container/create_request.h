#pragma once
/// Turning what the user asked for plus the image's defaults into a container's final
/// configuration, with Docker's rules:
///   - entrypoint: --entrypoint if given (then the image's Cmd is dropped too), else the image's;
///   - cmd: the user's words if any, else the image's Cmd;
///   - env: PATH default, HOSTNAME, TERM=xterm (tty), image Env, --env-file, -e; a later value
///     for a key replaces the earlier one in place;
///   - working dir, user, stop signal: the user's, else the image's;
///   - healthcheck: the user's fields over the image's; --no-healthcheck gives {"NONE"};
///   - image VOLUMEs not covered by a user mount become anonymous volumes.

#include "engine/api/container.h"

#include <optional>
#include <string>
#include <vector>

namespace wharf::engine {

/// The parts of an image's config a container inherits.
struct ImageDefaults {
    std::vector<std::string> env, cmd, entrypoint;
    std::string working_dir, user, stop_signal;
    std::optional<HealthConfig> healthcheck;
    std::vector<std::string> exposed_ports;
    std::vector<std::string> volumes;
};

struct CreateRequest {
    ContainerConfig config;           ///< the user's settings; env/cmd/entrypoint as given
    bool entrypoint_set = false;      ///< --entrypoint was given (possibly "")
    std::vector<std::string> user_env; ///< --env-file lines then -e values, in order
    bool no_healthcheck = false;
    ImageDefaults image;
};

ContainerConfig resolve_config(const CreateRequest& request);

/// Appends/replaces KEY=VALUE entries; a bare KEY (no '=') is skipped (the CLI resolves it
/// from its environment before).
void merge_env(std::vector<std::string>& env, const std::vector<std::string>& more);

} // namespace wharf::engine
