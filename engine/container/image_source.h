#pragma once
/// Where a new container's root filesystem and defaults come from: an image of the store.
///
/// apply_image() looks `request.config.image` up (a reference, full ID or ID prefix: the
/// store's resolve()) and fills in what the container inherits: the image ID, the layer
/// directories (overlay lower dirs, bottom → top) and the ImageDefaults (Env, Cmd,
/// Entrypoint, WorkingDir, User, StopSignal, Healthcheck, ExposedPorts, Volumes).
/// NotFound with Docker's text when the image is not in the store:
/// `Unable to find image 'localhost/nope:latest' locally` (the name normalised as Docker does).

#include "engine/container/create_request.h"
#include "engine/image/image_store.h"

namespace wharf::engine {

Result<Image> apply_image(const ImageStore& store, CreateRequest& request);

/// The image's config as the defaults a container inherits.
ImageDefaults image_defaults(const ImageConfig& config);

} // namespace wharf::engine
