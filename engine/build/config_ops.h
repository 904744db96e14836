#pragma once
/// Internal to the builder: applying metadata-only instructions to an image config document
/// (OCI JSON, the `config` object of the config blob) and writing their history text the way
/// Docker (BuildKit) does: `ENV A=1`, `CMD ["nginx" "-g" "daemon off;"]`,
/// `EXPOSE map[80/tcp:{}]`, `VOLUME [/data]`, `HEALTHCHECK &{["CMD-SHELL" "x"] "5s" "0s" "0s" "0s" '\x00'}`.

#include "engine/build/instruction.h"

#include <nlohmann/json.hpp>

namespace wharf::engine::build {

/// Go's %q of a string.
std::string go_quote(std::string_view s);
/// Go's %q of a []string: ["a" "b"].
std::string go_quote_list(const std::vector<std::string>& v);
/// Go's time.Duration.String(): "1m30s", "500ms", "0s".
std::string go_duration(int64_t ns);

/// The shell of the config ("Shell", default ["/bin/sh","-c"]).
std::vector<std::string> config_shell(const nlohmann::json& config);
/// "KEY=VALUE" list of the config as a map (later entries win).
VarMap config_env(const nlohmann::json& config);
void set_env(nlohmann::json& config, const std::string& key, const std::string& value);

/// Applies ENV, LABEL, CMD, ENTRYPOINT, USER, EXPOSE, VOLUME, STOPSIGNAL, HEALTHCHECK,
/// SHELL, ONBUILD, MAINTAINER to `doc` (the whole config blob: MAINTAINER sets "author").
/// `cmd_set_in_stage` tracks the rule that ENTRYPOINT resets an inherited CMD.
/// Returns the history `created_by`.
std::string apply_metadata(nlohmann::json& doc, const Command& cmd, bool& cmd_set_in_stage);

} // namespace wharf::engine::build
