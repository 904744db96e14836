#pragma once
// Builds small tar (optionally gzip) archives in memory for layer and archive tests.
#include <archive.h>
#include <archive_entry.h>
#include <string>
#include <vector>

namespace wharf::test {

struct TarEntry {
    enum Kind { File, Dir, Symlink, Hardlink } kind = File;
    std::string name;
    std::string data;   // file content, or link target
    int mode = 0644;
    std::vector<std::pair<std::string, std::string>> xattrs;
};

inline std::string make_tar(const std::vector<TarEntry>& entries, bool gzip = false)
{
    std::string out;
    archive* a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    if (gzip)
        archive_write_add_filter_gzip(a);
    archive_write_set_bytes_in_last_block(a, 1);
    archive_write_open(
        a, &out, nullptr,
        [](archive*, void* ctx, const void* buf, size_t n) -> la_ssize_t {
            static_cast<std::string*>(ctx)->append(static_cast<const char*>(buf), n);
            return static_cast<la_ssize_t>(n);
        },
        nullptr);
    for (const auto& t : entries) {
        archive_entry* e = archive_entry_new();
        archive_entry_set_pathname(e, t.name.c_str());
        archive_entry_set_mtime(e, 1000, 0);
        switch (t.kind) {
        case TarEntry::File:
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_size(e, static_cast<la_int64_t>(t.data.size()));
            break;
        case TarEntry::Dir:
            archive_entry_set_filetype(e, AE_IFDIR);
            break;
        case TarEntry::Symlink:
            archive_entry_set_filetype(e, AE_IFLNK);
            archive_entry_set_symlink(e, t.data.c_str());
            break;
        case TarEntry::Hardlink:
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_hardlink(e, t.data.c_str());
            break;
        }
        archive_entry_set_perm(e, t.kind == TarEntry::Dir && t.mode == 0644 ? 0755 : t.mode);
        for (auto& [k, v] : t.xattrs)
            archive_entry_xattr_add_entry(e, k.c_str(), v.data(), v.size());
        archive_write_header(a, e);
        if (t.kind == TarEntry::File && !t.data.empty())
            archive_write_data(a, t.data.data(), t.data.size());
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
    return out;
}

} // namespace wharf::test
