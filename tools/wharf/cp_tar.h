#pragma once
/// `cp`'s tar streams, as Docker's: `cp CONTAINER:SRC -` writes SRC (a file, a directory and
/// everything below it, or a symlink) as a tar archive; `cp - CONTAINER:DEST` unpacks a tar
/// archive read from a file descriptor into the existing directory DEST.
///
/// Both work on a directory fd that is the container's root (container_copy.h provides it):
/// SRC and DEST are resolved inside it (openat2 RESOLVE_IN_ROOT); the tree is walked through
/// directory fds without following symlinks, and extraction runs with the current directory
/// at DEST and libarchive's secure mode (no absolute names, no "..", nothing written through
/// a symlink), so neither an archive nor the container's own symlinks can reach the host.
/// Entries keep their modes and times, and their owners unless told otherwise (`cp -a`);
/// hard links within SRC stay hard links.
/// The extraction changes this process's working directory for its duration (restored
/// after). Not thread-safe.

#include "engine/base/result.h"
#include "engine/sys/copy.h"

#include <cstdint>
#include <string>

namespace wharf::cli {

/// Writes `src` (absolute in the container) to `out_fd` as an uncompressed PAX tar whose
/// entries are named after SRC's base name ("dir/", "dir/file"; "SRC/." gives "./…") and
/// keep their owners. A symlink SRC is archived as the symlink; with `follow_link` what it
/// points to is, named after that (as Docker's CLI, which asks the daemon for the target).
/// Returns the bytes of file content written. NotFound "Could not find the file SRC in
/// container" when SRC is missing.
Result<uint64_t> write_tar_from_root(
    int root_fd, const std::string& src, int out_fd, bool follow_link = false);

/// Extracts the tar archive (any compression libarchive reads) on `in_fd` into `dest`
/// (absolute in the container; a symlink to a directory is followed inside the container).
/// Returns the bytes of the archive read. When DEST is missing or no directory, fails before
/// reading anything with Docker's `destination "<shown_dest>" must be a directory`; other
/// errors name the entry: `cp: entry "x": …`. Every entry belongs to `owner` (Docker's
/// PUT archive without copyUIDGID: root), or with none (`cp -a`) to the archive's uid:gid.
Result<uint64_t> extract_tar_into_root(int root_fd, const std::string& dest, int in_fd,
    const std::string& shown_dest, std::optional<sys::Owner> owner);

} // namespace wharf::cli
