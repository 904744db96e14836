#pragma once
/// The rows of `images` and `image history` as Docker's CLI formatter shows them: field names
/// as its --format templates use them (ID, Repository, Tag, Digest, CreatedSince, CreatedAt,
/// Size, …), texts as it renders them. Pure: the current time is an input.

#include "engine/api/image.h"
#include "engine/base/result.h"
#include "tools/wharf/human.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace wharf::cli {

struct ImageListOptions {
    bool no_trunc = false;
    bool digests = false; ///< --digests (or a format naming {{.Digest}})
    std::vector<std::string>
        filters; ///< "dangling=true", "reference=localhost/*", "label=k=v", "before=x", "since=x"
    std::string reference; ///< the optional REPOSITORY[:TAG] argument
};

/// Validates the filter keys (dangling, reference, label, before, since) and values.
Result<void> check_image_filters(const std::vector<std::string>& filters);

/// One row per repository:tag of each image (one "<none>" row for a dangling image), in the
/// order of `images` and, within an image, by repository then tag. `before`/`since` filters
/// are resolved against `images`.
Result<std::vector<nlohmann::ordered_json>> image_rows(
    const std::vector<engine::Image>& images, const ImageListOptions& opts, int64_t now);

struct HistoryOptions {
    bool no_trunc = false;
    bool human = true; ///< -H; false: CreatedAt RFC 3339 and sizes in bytes
};

/// One row per history entry, newest first; the top one carries the image ID, the others
/// "<missing>" (the store keeps no intermediate images, as Docker with containerd). Empty-layer
/// entries have size 0; the others take their layer's size in order. An image with no history
/// gets one row per layer.
std::vector<nlohmann::ordered_json> history_rows(
    const engine::Image& img, const HistoryOptions& opts, int64_t now);

} // namespace wharf::cli
