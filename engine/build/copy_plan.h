#pragma once
/// Plans the layer a COPY or ADD produces, without touching the rootfs: which entries the
/// new layer holds (files, dirs, symlinks, the destination's parent directories with the
/// metadata they already have in the rootfs), and the content digest of everything read,
/// which keys the layer cache (paths, types, modes, owners, link targets, file contents;
/// not mtimes, as Docker).
///
/// Rules (Dockerfile reference, COPY/ADD): a relative destination is under WORKDIR; a
/// directory source copies its contents; several sources need a destination ending in `/`;
/// files from the build context belong to 0:0 unless `--chown`; `--chown=user` alone uses
/// the UID as GID; names are resolved in the rootfs' /etc/passwd and /etc/group; `--chmod`
/// sets the mode of everything copied. ADD extracts local tar archives (any compression
/// libarchive reads) into the destination and refuses URLs (no network during builds).
/// Pure apart from reading the trees; thread-compatible.

#include "engine/build/instruction.h"
#include "engine/build/layer_tar.h"
#include "engine/build/source_tree.h"

namespace wharf::engine::build {

struct CopyPlanInput {
    const CopyCmd* cmd = nullptr;
    const SourceTree* source = nullptr; ///< context or another stage/image
    bool source_is_context = true; ///< context files are owned by 0:0
    const MergedTree* rootfs = nullptr; ///< the stage's current filesystem
    std::string workdir = "/";
    int64_t now = 0; ///< mtime for directories COPY creates
};

struct CopyPlan {
    LayerTar tar;
    std::string content_digest; ///< "sha256:<hex>"
};

Result<CopyPlan> plan_copy(const CopyPlanInput& in);

/// Resolves `user[:group]` (names or numbers) against a rootfs' /etc/passwd and /etc/group.
Result<std::pair<uint32_t, uint32_t>> resolve_chown(const std::string& spec, const MergedTree& rootfs);

} // namespace wharf::engine::build
