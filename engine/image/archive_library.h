#pragma once
/// libarchive, opened on first use (sys/shared_library.h): only commands that read or
/// write tarballs (pull, load, save, import, build, cp) load it and its dependencies
/// (libxml2, ICU, nettle, the compressors). Call its functions through the table:
///
///   std::unique_ptr<archive, ReadDeleter> a(libarchive().archive_read_new());
///
/// libarchive() cannot fail quietly: when libarchive13 is not installed it prints which
/// library is missing and exits with status 125, as the dynamic linker would have refused
/// to start wharf had it been linked. Thread-safe.

#include <archive.h>
#include <archive_entry.h>

#include "engine/sys/shared_library.h"

namespace wharf::engine {

#define WHARF_ARCHIVE_FUNCTIONS(X) \
    X(archive_entry_filetype) X(archive_entry_free) X(archive_entry_gid)                           \
    X(archive_entry_hardlink) X(archive_entry_mtime) X(archive_entry_new)                          \
    X(archive_entry_pathname) X(archive_entry_perm) X(archive_entry_set_filetype)                  \
    X(archive_entry_set_gid) X(archive_entry_set_hardlink) X(archive_entry_set_mtime)              \
    X(archive_entry_set_pathname) X(archive_entry_set_perm) X(archive_entry_set_rdev)              \
    X(archive_entry_set_size) X(archive_entry_set_symlink) X(archive_entry_set_uid)                \
    X(archive_entry_size) X(archive_entry_symlink) X(archive_entry_uid)                            \
    X(archive_entry_xattr_add_entry) X(archive_entry_xattr_clear) X(archive_entry_xattr_count)     \
    X(archive_entry_xattr_next) X(archive_entry_xattr_reset) X(archive_error_string)               \
    X(archive_read_data) X(archive_read_data_block) X(archive_read_free) X(archive_read_new)       \
    X(archive_read_next_header) X(archive_read_open) X(archive_read_open_fd)                       \
    X(archive_read_open_filename) X(archive_read_open_memory) X(archive_read_support_filter_all)   \
    X(archive_read_support_format_gnutar) X(archive_read_support_format_raw)                       \
    X(archive_read_support_format_tar) X(archive_set_error) X(archive_write_close)                 \
    X(archive_write_data) X(archive_write_data_block) X(archive_write_disk_new)                    \
    X(archive_write_disk_set_options) X(archive_write_finish_entry) X(archive_write_free)          \
    X(archive_write_header) X(archive_write_new) X(archive_write_open_fd)                          \
    X(archive_write_open_filename) X(archive_write_set_bytes_per_block)                            \
    X(archive_write_set_format_pax_restricted) X(archive_write_set_options)

struct ArchiveLibrary {
    WHARF_LIBRARY_TABLE(WHARF_ARCHIVE_FUNCTIONS)
};

const ArchiveLibrary& libarchive();

} // namespace wharf::engine
