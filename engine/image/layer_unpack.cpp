#include "engine/image/layer_unpack.h"

#include "engine/image/archive_library.h"

#include <cerrno>
#include <cstring>
#include <memory>
#include <set>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <vector>

namespace wharf::engine {

Result<std::string> clean_member_path(std::string_view name)
{
    std::vector<std::string_view> parts;
    size_t i = 0;
    while (i <= name.size()) {
        size_t slash = name.find('/', i);
        std::string_view comp = name.substr(i, slash == std::string_view::npos ? std::string_view::npos : slash - i);
        if (comp == "..") {
            if (parts.empty())
                return Error(Errc::Invalid, "breakout: layer entry \"" + std::string(name) + "\" points outside the layer");
            parts.pop_back();
        } else if (!comp.empty() && comp != ".") {
            parts.push_back(comp);
        }
        if (slash == std::string_view::npos)
            break;
        i = slash + 1;
    }
    std::string out;
    for (auto p : parts) {
        if (!out.empty())
            out += '/';
        out += p;
    }
    return out;
}

namespace {

constexpr size_t kBuf = 256 * 1024;

struct ArchiveReadDeleter {
    void operator()(archive* a) const { libarchive().archive_read_free(a); }
};
struct ArchiveWriteDeleter {
    void operator()(archive* a) const { libarchive().archive_write_free(a); }
};
using ReadPtr = std::unique_ptr<archive, ArchiveReadDeleter>;
using WritePtr = std::unique_ptr<archive, ArchiveWriteDeleter>;

struct Streams {
    const LayerReadFn* read = nullptr;
    std::vector<char> src_buf = std::vector<char>(kBuf);
    archive* outer = nullptr; // decompressor (raw format)
    std::vector<char> raw_buf = std::vector<char>(kBuf);
    Sha256Hasher hasher;
    std::string outer_error;
    const std::function<void(uint64_t)>* progress = nullptr;
};

la_ssize_t source_read(archive* a, void* ctx, const void** buf)
{
    auto* s = static_cast<Streams*>(ctx);
    ssize_t n = (*s->read)(s->src_buf.data(), s->src_buf.size());
    if (n < 0) {
        libarchive().archive_set_error(a, EIO, "read error");
        return ARCHIVE_FATAL;
    }
    *buf = s->src_buf.data();
    return n;
}

/// The tar reader's input: the decompressor's output, hashed on the way (the DiffID).
la_ssize_t raw_read(archive* a, void* ctx, const void** buf)
{
    auto* s = static_cast<Streams*>(ctx);
    la_ssize_t n = libarchive().archive_read_data(s->outer, s->raw_buf.data(), s->raw_buf.size());
    if (n < 0) {
        const char* msg = libarchive().archive_error_string(s->outer);
        s->outer_error = msg ? msg : "decompression failed";
        libarchive().archive_set_error(a, EIO, "%s", s->outer_error.c_str());
        return ARCHIVE_FATAL;
    }
    s->hasher.update(s->raw_buf.data(), static_cast<size_t>(n));
    if (s->progress && *s->progress)
        (*s->progress)(s->hasher.size());
    *buf = s->raw_buf.data();
    return n;
}

bool under_symlink(const std::set<std::string>& symlinks, const std::string& path, std::string* which)
{
    if (symlinks.empty())
        return false;
    for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
        std::string prefix = path.substr(0, slash);
        if (symlinks.count(prefix)) {
            *which = prefix;
            return true;
        }
    }
    return false;
}

Result<void> mkdirs_in(const std::string& dest, const std::string& rel)
{
    std::string path = dest;
    size_t i = 0;
    while (i < rel.size()) {
        size_t slash = rel.find('/', i);
        path += "/" + rel.substr(i, slash == std::string::npos ? std::string::npos : slash - i);
        if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
            return Error::from_errno("mkdir " + path, errno);
        if (slash == std::string::npos)
            break;
        i = slash + 1;
    }
    return ok();
}

bool dropped_xattr(std::string_view name)
{
    return name.starts_with("trusted.overlay.") || name.starts_with("user.overlay.") || name == "security.selinux";
}

} // namespace

Result<UnpackResult> unpack_layer(const LayerReadFn& read, const std::string& dest, const UnpackOptions& opts)
{
    const bool root = ::geteuid() == 0;
    const std::string opaque_xattr =
        std::string(opts.xattr_ns == OverlayXattr::Trusted ? "trusted" : "user") + ".overlay.opaque";
    Streams s;
    s.read = &read;
    s.progress = &opts.progress;

    ReadPtr outer(libarchive().archive_read_new());
    libarchive().archive_read_support_filter_all(outer.get());
    libarchive().archive_read_support_format_raw(outer.get());
    s.outer = outer.get();
    if (libarchive().archive_read_open(outer.get(), &s, nullptr, source_read, nullptr) != ARCHIVE_OK)
        return Error(Errc::Io, std::string("open layer stream: ") + libarchive().archive_error_string(outer.get()));
    archive_entry* raw_entry = nullptr;
    if (libarchive().archive_read_next_header(outer.get(), &raw_entry) != ARCHIVE_OK)
        return Error(Errc::Invalid, std::string("read layer stream: ") +
                                        (libarchive().archive_error_string(outer.get()) ? libarchive().archive_error_string(outer.get()) : "empty"));

    ReadPtr tar(libarchive().archive_read_new());
    libarchive().archive_read_support_format_tar(tar.get());
    libarchive().archive_read_support_format_gnutar(tar.get());
    if (libarchive().archive_read_open(tar.get(), &s, nullptr, raw_read, nullptr) != ARCHIVE_OK)
        return Error(Errc::Invalid, std::string("read layer tar: ") + libarchive().archive_error_string(tar.get()));

    WritePtr disk(libarchive().archive_write_disk_new());
    int flags = ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_UNLINK |
                ARCHIVE_EXTRACT_SECURE_NODOTDOT;
    if (root)
        flags |= ARCHIVE_EXTRACT_OWNER;
    libarchive().archive_write_disk_set_options(disk.get(), flags);

    UnpackResult result;
    std::set<std::string> symlinks;   // paths this layer made symlinks (never traverse them)
    std::vector<std::string> opaque;  // applied after all entries (libarchive may recreate a dir)
    auto fail = [&](const std::string& what) -> Error {
        if (!s.outer_error.empty())
            return Error(Errc::Invalid, "read layer stream: " + s.outer_error);
        return Error(Errc::Invalid, what);
    };

    for (;;) {
        archive_entry* e = nullptr;
        int r = libarchive().archive_read_next_header(tar.get(), &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN)
            return fail(std::string("read layer tar: ") + libarchive().archive_error_string(tar.get()));
        const char* raw_name = libarchive().archive_entry_pathname(e);
        std::string name = raw_name ? raw_name : "";
        std::string clean = TRY(clean_member_path(name));
        if (clean.empty())
            continue; // the layer's root "./"
        auto slash = clean.rfind('/');
        std::string parent = slash == std::string::npos ? "" : clean.substr(0, slash);
        std::string base = slash == std::string::npos ? clean : clean.substr(slash + 1);
        // AUFS metadata (".wh..wh.plnk/…") is never extracted.
        if ((base.starts_with(".wh..wh.") && base != ".wh..wh..opq") || parent.starts_with(".wh..wh.") ||
            parent.find("/.wh..wh.") != std::string::npos)
            continue;
        std::string via;
        if (under_symlink(symlinks, clean, &via))
            return Error(Errc::Invalid, "breakout: layer entry \"" + name + "\" would be written through symlink \"" +
                                            via + "\"");
        if (base == ".wh..wh..opq") {
            opaque.push_back(parent);
            continue;
        }
        if (base.starts_with(".wh.")) {
            std::string hidden = base.substr(4);
            if (hidden.empty() || hidden == "." || hidden == "..")
                return Error(Errc::Invalid, "invalid whiteout entry \"" + name + "\" in layer");
            TRY(mkdirs_in(dest, parent));
            std::string target = dest + "/" + (parent.empty() ? "" : parent + "/") + hidden;
            struct stat st {};
            if (::lstat(target.c_str(), &st) == 0)
                continue; // an entry of this same layer wins over its whiteout
            if (::mknod(target.c_str(), S_IFCHR | 0000, makedev(0, 0)) != 0)
                return Error::from_errno("mknod whiteout " + target, errno);
            if (root && (libarchive().archive_entry_uid(e) || libarchive().archive_entry_gid(e)))
                (void)::lchown(target.c_str(), static_cast<uid_t>(libarchive().archive_entry_uid(e)),
                               static_cast<gid_t>(libarchive().archive_entry_gid(e)));
            continue;
        }
        auto type = libarchive().archive_entry_filetype(e);
        if (!root && (type == AE_IFCHR || type == AE_IFBLK))
            continue; // cannot mknod without CAP_MKNOD; Docker skips them in user namespaces too
        if (const char* link = libarchive().archive_entry_hardlink(e)) {
            auto link_r = clean_member_path(link);
            if (!link_r)
                return Error(Errc::Invalid, "breakout: hardlink \"" + name + "\" points outside the layer (\"" +
                                                std::string(link) + "\")");
            std::string link_clean = *link_r;
            if (link_clean.empty())
                return Error(Errc::Invalid, "breakout: hardlink \"" + name + "\" points at the layer root");
            if (under_symlink(symlinks, link_clean, &via))
                return Error(Errc::Invalid, "breakout: hardlink \"" + name + "\" resolves through symlink \"" + via + "\"");
            std::string target = dest + "/" + link_clean;
            struct stat st {};
            if (::lstat(target.c_str(), &st) != 0)
                return Error(Errc::Invalid, "invalid hardlink \"" + name + "\" in layer: target \"" + std::string(link) +
                                                "\" does not exist in this layer");
            if (S_ISDIR(st.st_mode))
                return Error(Errc::Invalid, "invalid hardlink \"" + name + "\" in layer: target \"" + std::string(link) +
                                                "\" is a directory");
            if (symlinks.count(link_clean))
                symlinks.insert(clean);
            libarchive().archive_entry_set_hardlink(e, target.c_str());
        }
        if (libarchive().archive_entry_xattr_count(e) > 0) {
            std::vector<std::tuple<std::string, std::string>> keep;
            libarchive().archive_entry_xattr_reset(e);
            const char* xname;
            const void* xval;
            size_t xsize;
            while (libarchive().archive_entry_xattr_next(e, &xname, &xval, &xsize) == ARCHIVE_OK)
                if (!dropped_xattr(xname))
                    keep.emplace_back(xname, std::string(static_cast<const char*>(xval), xsize));
            libarchive().archive_entry_xattr_clear(e);
            for (auto& [k, v] : keep)
                libarchive().archive_entry_xattr_add_entry(e, k.c_str(), v.data(), v.size());
        }
        if (type == AE_IFLNK)
            symlinks.insert(clean);
        else if (!libarchive().archive_entry_hardlink(e))
            symlinks.erase(clean);
        std::string full = dest + "/" + clean;
        libarchive().archive_entry_set_pathname(e, full.c_str());
        r = libarchive().archive_write_header(disk.get(), e);
        if (r < ARCHIVE_WARN)
            return fail("extract \"" + name + "\": " + libarchive().archive_error_string(disk.get()));
        if (type == AE_IFREG && libarchive().archive_entry_size(e) > 0) {
            result.content_size += static_cast<uint64_t>(libarchive().archive_entry_size(e));
            const void* buf;
            size_t size;
            la_int64_t offset;
            for (;;) {
                r = libarchive().archive_read_data_block(tar.get(), &buf, &size, &offset);
                if (r == ARCHIVE_EOF)
                    break;
                if (r < ARCHIVE_WARN)
                    return fail("read \"" + name + "\" from layer: " + libarchive().archive_error_string(tar.get()));
                if (libarchive().archive_write_data_block(disk.get(), buf, size, offset) < ARCHIVE_WARN)
                    return fail("write " + full + ": " + libarchive().archive_error_string(disk.get()));
            }
        }
        if (libarchive().archive_write_finish_entry(disk.get()) < ARCHIVE_WARN)
            return fail("extract \"" + name + "\": " + libarchive().archive_error_string(disk.get()));
    }
    // Whatever follows the tar's end-of-archive blocks is part of the DiffID too.
    for (;;) {
        la_ssize_t n = libarchive().archive_read_data(outer.get(), s.raw_buf.data(), s.raw_buf.size());
        if (n < 0)
            return Error(Errc::Invalid, std::string("read layer stream: ") + libarchive().archive_error_string(outer.get()));
        if (n == 0)
            break;
        s.hasher.update(s.raw_buf.data(), static_cast<size_t>(n));
    }
    for (const auto& dir : opaque) {
        TRY(mkdirs_in(dest, dir));
        std::string path = dir.empty() ? dest : dest + "/" + dir;
        if (::lsetxattr(path.c_str(), opaque_xattr.c_str(), "y", 1, 0) != 0)
            return Error::from_errno("setxattr " + opaque_xattr + " on " + path, errno);
    }
    if (libarchive().archive_write_close(disk.get()) != ARCHIVE_OK)
        return Error(Errc::Sys, std::string("finish layer extraction: ") + libarchive().archive_error_string(disk.get()));
    result.tar_size = s.hasher.size();
    result.diff_id = s.hasher.finish();
    return result;
}

} // namespace wharf::engine
