#pragma once
/// copy_tree: copies a directory's contents with modes, owners, timestamps and symlinks
/// (what Docker does to fill a new named volume from the image, and what `cp` needs).
/// Special files (devices, fifos) are recreated with mknod; hard links become copies.

#include "engine/base/result.h"

#include <string>

namespace wharf::sys {

/// Copies everything under `from` into the existing directory `to`.
Result<void> copy_tree(const std::string& from, const std::string& to);
/// Copies one file or tree `from` to the path `to` (created), keeping metadata.
Result<void> copy_entry(const std::string& from, const std::string& to);
/// True when `dir` exists and has no entries.
bool dir_is_empty(const std::string& dir);

} // namespace wharf::sys
