#pragma once
/// `image inspect`'s document of one image by reference or ID, for verbs (inspect) that need
/// only the document and not the image store's headers.

#include "engine/base/result.h"
#include "tools/wharf/verb.h"

#include <nlohmann/json.hpp>
#include <string>

namespace wharf::cli {

Result<nlohmann::ordered_json> image_inspect_document(const Context& ctx, const std::string& name);

} // namespace wharf::cli
