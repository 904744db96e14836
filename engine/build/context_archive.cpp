// Build contexts from archives (see context_archive.h).

#include "engine/image/archive_library.h"
#include "engine/build/context_archive.h"

#include <memory>

namespace wharf::engine::build {
namespace {

struct ReadDeleter {
    void operator()(archive* a) const { libarchive().archive_read_free(a); }
};
struct WriteDeleter {
    void operator()(archive* a) const { libarchive().archive_write_free(a); }
};

std::string archive_text(archive* a)
{
    const char* s = libarchive().archive_error_string(a);
    return s ? s : "unknown error";
}

/// A name inside the context: relative, no ".." component.
bool stays_inside(const std::string& name)
{
    if (name.starts_with('/'))
        return false;
    size_t start = 0;
    while (start <= name.size()) {
        size_t slash = name.find('/', start);
        if (name.substr(start, slash == std::string::npos ? std::string::npos : slash - start) == "..")
            return false;
        if (slash == std::string::npos)
            break;
        start = slash + 1;
    }
    return true;
}

} // namespace

bool looks_like_archive(std::string_view b)
{
    auto starts = [&](std::string_view magic) { return b.substr(0, magic.size()) == magic; };
    if (starts("\x1f\x8b") || starts("BZh")
        || starts("\xfd"
                  "7zXZ")
        || starts("\x28\xb5\x2f\xfd"))
        return true;
    return b.size() >= 262 && b.substr(257, 5) == "ustar";
}

Result<void> unpack_context_archive(std::string_view bytes, const std::string& dir)
{
    std::unique_ptr<archive, ReadDeleter> in(libarchive().archive_read_new());
    libarchive().archive_read_support_filter_all(in.get());
    libarchive().archive_read_support_format_tar(in.get());
    libarchive().archive_read_support_format_gnutar(in.get());
    if (libarchive().archive_read_open_memory(in.get(), bytes.data(), bytes.size()) != ARCHIVE_OK)
        return Error(Errc::Invalid, "build context archive: " + archive_text(in.get()));
    std::unique_ptr<archive, WriteDeleter> out(libarchive().archive_write_disk_new());
    libarchive().archive_write_disk_set_options(out.get(),
        ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_SECURE_SYMLINKS
            | ARCHIVE_EXTRACT_SECURE_NODOTDOT);
    for (;;) {
        archive_entry* e = nullptr;
        int r = libarchive().archive_read_next_header(in.get(), &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN)
            return Error(Errc::Invalid, "build context archive: " + archive_text(in.get()));
        std::string name = libarchive().archive_entry_pathname(e) ? libarchive().archive_entry_pathname(e) : "";
        std::string what = "build context archive: entry \"" + name + "\": ";
        // Names are relative to the context (checked here, as the entry is written under
        // `dir` by absolute path); SECURE_SYMLINKS refuses writing through a symlink.
        if (!stays_inside(name))
            return Error(Errc::Invalid, what + "the name leaves the context");
        std::string target = dir + "/" + name;
        libarchive().archive_entry_set_pathname(e, target.c_str());
        if (const char* hl = libarchive().archive_entry_hardlink(e)) {
            if (!stays_inside(hl))
                return Error(Errc::Invalid, what + "the hard link target leaves the context");
            std::string link = dir + "/" + hl;
            libarchive().archive_entry_set_hardlink(e, link.c_str());
        }
        if (libarchive().archive_write_header(out.get(), e) < ARCHIVE_WARN)
            return Error(Errc::Invalid, what + archive_text(out.get()));
        const void* buf = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        while ((r = libarchive().archive_read_data_block(in.get(), &buf, &size, &offset)) == ARCHIVE_OK)
            if (libarchive().archive_write_data_block(out.get(), buf, size, offset) < ARCHIVE_OK)
                return Error(Errc::Io, what + archive_text(out.get()));
        if (r < ARCHIVE_WARN)
            return Error(Errc::Invalid, what + archive_text(in.get()));
        if (libarchive().archive_write_finish_entry(out.get()) < ARCHIVE_WARN)
            return Error(Errc::Io, what + archive_text(out.get()));
    }
    return ok();
}

} // namespace wharf::engine::build
