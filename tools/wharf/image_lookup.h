#pragma once
/// `image inspect`'s document of one image by reference or ID, for verbs that must not include
/// the image headers (engine/api/image_config.h and engine/api/container.h both define
/// HealthConfig, so one translation unit cannot see both).

#include "engine/base/result.h"
#include "tools/wharf/verb.h"

#include <nlohmann/json.hpp>
#include <string>

namespace wharf::cli {

Result<nlohmann::ordered_json> image_inspect_document(const Context& ctx, const std::string& name);

} // namespace wharf::cli
