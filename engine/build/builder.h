#pragma once
/// The builder: `wharf build` and Compose's `build:` both call build().
///
///   BuildRequest req{.context_dir = "app", .tags = {"localhost/app:latest"}, .state_root = root};
///   TextProgress progress(std::cout);                         // or any ProgressSink
///   BuildResult r = TRY(build(req, progress));                // r.image_id = "sha256:…"
///
/// Steps: read the Dockerfile (`dockerfile_inline`, or `dockerfile` relative to the context,
/// default `Dockerfile`), plan the stages needed for `target`, then run each stage's
/// instructions in order. Each step is looked up in the layer cache (cache.h) unless
/// `no_cache`; COPY/ADD read the context through `.dockerignore`; RUN executes in a
/// container of the stage's current rootfs (through the runtime) and its change becomes a
/// layer. The final image is committed with one history entry per instruction and tagged.
/// A failing step returns its error (RUN: `process "/bin/sh -c exit 3" did not complete
/// successfully: exit code: 3`, framed by the step); nothing is tagged and no container, mount
/// or scratch directory is left behind.
///
/// Not thread-safe per request; independent builds may run concurrently (the stores lock).

#include "engine/base/result.h"
#include "engine/build/backend.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wharf::engine::build {

struct BuildRequest {
    std::string context_dir = ".";
    std::string dockerfile; ///< path relative to the context ("" = "Dockerfile"); absolute allowed
    std::optional<std::string> dockerfile_inline; ///< the Dockerfile text itself (Compose)
    std::vector<std::string> tags; ///< normalised later by the store ("app" -> docker.io/library/app:latest)
    std::string target; ///< stage name; "" = last stage
    std::map<std::string, std::string> build_args;
    std::map<std::string, std::string> labels; ///< added to the final image
    bool no_cache = false;
    bool pull = false;
    std::string network = "none"; ///< default for RUN steps: "none" or "host" (RUN --network wins)
    std::string state_root; ///< engine state root (cache lives under it)
};

struct BuildResult {
    std::string image_id; ///< "sha256:…"
    std::vector<std::string> tags;
    size_t steps = 0; ///< steps executed or cached (FROM included)
    size_t cached = 0;
    std::vector<std::string> warnings; ///< e.g. unused build args
};

struct StepInfo {
    size_t number = 0; ///< 1-based, across all built stages
    size_t total = 0;
    std::string text; ///< the instruction as written ("COPY . /www")
    std::string stage; ///< stage name ("build", "stage-1"); "" when the Dockerfile has one stage
    size_t stage_step = 0; ///< 1-based within the stage (FROM is 1)
    size_t stage_steps = 0; ///< FROM plus the stage's instructions

    /// BuildKit's vertex label: "[2/4]", or "[build 2/4]" in a multi-stage Dockerfile.
    std::string label() const;
};

/// Receives progress; the CLI prints it, tests record it. Called from the building thread.
class ProgressSink {
public:
    virtual ~ProgressSink() = default;
    virtual void step_started(const StepInfo&) { }
    /// The step's result came from the cache.
    virtual void step_cached(const StepInfo&) { }
    /// The step finished; `id` is a short identifier of the resulting state.
    virtual void step_done(const StepInfo&, const std::string& /*id*/, double /*seconds*/) { }
    /// RUN output, as it arrives.
    virtual void output(std::string_view) { }
    /// Notes and warnings ("[Warning] One or more build-args [X] were not consumed").
    virtual void message(const std::string&) { }
};

Result<BuildResult> build(const BuildRequest& request, BuildBackend& backend, ProgressSink& progress);

} // namespace wharf::engine::build
