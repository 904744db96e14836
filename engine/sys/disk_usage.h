#pragma once
/// disk_usage: the apparent size of a tree (sum of st_size of its regular files and symlinks,
/// each hard-linked inode once), as Docker reports volume sizes. Does not follow symlinks
/// or cross into other file systems' mounts. Unreadable entries are skipped.

#include <cstdint>
#include <string>

namespace wharf::sys {

uint64_t disk_usage(const std::string& path);

} // namespace wharf::sys
