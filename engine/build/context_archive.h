#pragma once
/// A build context sent as an archive on stdin (`tar -c . | wharf build -`, as Docker takes
/// one): recognised by its first bytes and unpacked into a directory the build then uses.
///
/// Extraction refuses absolute names and `..` (and hard links to them) and, through
/// libarchive's secure mode, writing through a symlink, so an archive cannot reach outside
/// `dir`. Modes and times are kept (COPY carries modes); any compression libarchive reads
/// is accepted.
/// Errors name the entry: `build context archive: entry "x": …`. Pure file I/O; thread-safe.

#include "engine/base/result.h"

#include <string>
#include <string_view>

namespace wharf::engine::build {

/// True when `bytes` begin like a tar (ustar magic at offset 257) or a compressed stream
/// (gzip, bzip2, xz, zstd): then stdin is a context, not a Dockerfile.
bool looks_like_archive(std::string_view bytes);

/// Unpacks `bytes` into the existing directory `dir`.
Result<void> unpack_context_archive(std::string_view bytes, const std::string& dir);

} // namespace wharf::engine::build
