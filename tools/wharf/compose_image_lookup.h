#pragma once
/// The ID of a local image, for the compose engine adapter. Its own translation unit because
/// engine/api/image_config.h and engine/api/container.h both define engine::HealthConfig
/// today, so the image store cannot be included beside the container API.

#include <optional>
#include <string>

namespace wharf::cli {

/// "sha256:…" of image `ref` in the store under `root`, or nullopt when absent.
std::optional<std::string> local_image_id(const std::string& root, const std::string& ref);

} // namespace wharf::cli
