#pragma once
/// copy_tree: copies a directory's contents with modes, owners, timestamps and symlinks
/// (what Docker does to fill a new named volume from the image, and what `cp` needs).
/// Special files (devices, fifos) are recreated with mknod; hard links become copies.

#include "engine/base/result.h"

#include <optional>
#include <string>
#include <sys/stat.h>
#include <sys/types.h>

namespace wharf::sys {

/// One owner for every copy (`cp` without -a: the destination's user); where an
/// `std::optional<Owner>` is empty the copies keep the source's owners.
struct Owner {
    uid_t uid = 0;
    gid_t gid = 0;
};

/// Copies everything under `from` into the existing directory `to`.
Result<void> copy_tree(
    const std::string& from, const std::string& to, std::optional<Owner> owner = std::nullopt);
/// Copies one file or tree `from` to the path `to` (created), keeping metadata.
Result<void> copy_entry(
    const std::string& from, const std::string& to, std::optional<Owner> owner = std::nullopt);
/// Gives `to` (never followed) the owner of `st` (or `owner`), its mode (not to a symlink)
/// and its times.
Result<void> copy_metadata(
    const std::string& to, const struct stat& st, std::optional<Owner> owner = std::nullopt);
/// True when `dir` exists and has no entries.
bool dir_is_empty(const std::string& dir);

} // namespace wharf::sys
