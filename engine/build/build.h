#pragma once
/// build_image(): the engine's one call for building an image from a Dockerfile into a
/// state root's image store — what `wharf build` runs and what Compose's `build:` calls.
///
///   auto store = TRY(ImageStore::open(root));
///   BuildRequest req;                              // builder.h: every field documented there
///   req.context_dir = "/src/app";                  // Compose: build.context
///   req.dockerfile = "Dockerfile.dev";             // build.dockerfile (relative to the context)
///   req.dockerfile_inline = std::nullopt;          // build.dockerfile_inline (the text itself)
///   req.build_args = {{"VERSION", "1.2"}};         // build.args
///   req.target = "prod";                           // build.target
///   req.tags = {"localhost/shop-web:latest"};      // image: / build.tags
///   req.labels = {{"com.example.x", "1"}};         // build.labels
///   req.network = "none";                          // build.network: "none" (default) | "host"
///   req.no_cache = false; req.pull = false;        // build.no_cache, build.pull
///   BuiltImage built = TRY(build_image(store, req, progress));  // progress: a ProgressSink
///   built.image.id, built.result.cached, built.result.warnings
///
/// Before any step runs, the request is checked: every tag must be a valid reference
/// (`invalid tag "Bad": invalid reference format: repository name must be lowercase`) and
/// the network "none", "host" or "default" (= "none"). `state_root` defaults to the store's.
/// Building needs root when the Dockerfile has RUN steps (they run in containers whose
/// monitor is `options.wharf_binary`, default: this process's executable, which must then
/// be the wharf binary). On failure nothing is tagged and no container, mount or scratch
/// directory is left behind; the error names the Dockerfile line and the step
/// (`Dockerfile:3: Step 3/4 : RUN make: process "/bin/sh -c make" did not complete
/// successfully: exit code: 2`).
/// Blocking; one call per thread; concurrent builds on one store are safe (store locks).
///
/// For Compose's "rebuild a service when its context or Dockerfile changed, reuse the image
/// otherwise": call build_image() on every `up`. Unchanged inputs (context after
/// .dockerignore, Dockerfile, args, target) are all cache hits — no container runs, nothing
/// is written, ~20 ms — and give the same image ID; a changed file rebuilds from its step
/// and gives a new ID (then recreate): compare `built.image.id` with the container's image.
/// Pulling: a FROM / COPY --from image missing from the store (every one with `pull`) is
/// fetched with engine/registry's pull_image() unless `options.pull` says otherwise; the
/// progress sink hears "pulling <ref>".

#include "engine/api/image.h"
#include "engine/build/builder.h"
#include "engine/build/store_backend.h"
#include "engine/image/image_store.h"

namespace wharf::engine::build {

struct BuiltImage {
    Image image; ///< the stored image (tags included)
    BuildResult result; ///< step counts, warnings
};

Result<BuiltImage> build_image(ImageStore& store, const BuildRequest& request, ProgressSink& progress,
    const StoreBackendOptions& options = {});
/// The same without progress reporting.
Result<BuiltImage> build_image(
    ImageStore& store, const BuildRequest& request, const StoreBackendOptions& options = {});

/// Removes scratch step dirs (`<root>/build/tmp/step-<pid>-*`) of builds whose process is gone.
/// build_image() runs it first, and sweeps step containers of dead builds the same way.
void sweep_build_scratch(const std::string& state_root);

} // namespace wharf::engine::build
