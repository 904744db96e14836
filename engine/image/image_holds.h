#pragma once
/// ImageHolds: which containers use which image, as empty files
/// `<state root>/image/holds/<image id hex>/<holder>`. A held image is never deleted.
/// ImageStore checks that the image exists before adding a hold (ImageStore::add_hold);
/// releasing needs no image store, so a container's monitor removes its `--rm` container's
/// hold through this small class without mapping the store's unpacking code.
/// Multi-process-safe: every change takes the image store's lock file.

#include "engine/base/digest.h"
#include "engine/base/result.h"

#include <string>
#include <vector>

namespace wharf::engine {

class ImageHolds {
public:
    /// `image_root` is `<state root>/image`.
    explicit ImageHolds(std::string image_root) : m_root(std::move(image_root)) {}

    /// Records `holder` (a container ID: no '/', not starting with '.'); the caller holds
    /// the store's lock and has checked that the image exists.
    Result<void> add_locked(const Digest& id, const std::string& holder) const;
    /// Forgets `holder`; a hold that is not there is no error.
    Result<void> release(const Digest& id, const std::string& holder) const;
    std::vector<std::string> holders(const Digest& id) const;

private:
    std::string m_root;
};

} // namespace wharf::engine
