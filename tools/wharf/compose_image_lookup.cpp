#include "tools/wharf/compose_image_lookup.h"

#include "engine/image/image_store.h"

namespace wharf::cli {

std::optional<std::string> local_image_id(const std::string& root, const std::string& ref)
{
    auto store = engine::ImageStore::open(root);
    if (!store)
        return std::nullopt;
    auto img = store->resolve(ref);
    if (!img)
        return std::nullopt;
    return img->id.str();
}

} // namespace wharf::cli
