// COPY/ADD planning (see copy_plan.h).

#include "engine/image/archive_library.h"
#include "engine/build/copy_plan.h"

#include "engine/sys/fd.h"

#include <cerrno>
#include <fcntl.h>
#include <memory>
#include <openssl/evp.h>
#include <unistd.h>

namespace wharf::engine::build {
namespace {

class Hasher {
public:
    Hasher()
        : m_ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free)
    {
        EVP_DigestInit_ex(m_ctx.get(), EVP_sha256(), nullptr);
    }
    void update(std::string_view d) { EVP_DigestUpdate(m_ctx.get(), d.data(), d.size()); }
    void field(std::string_view d)
    {
        update(d);
        update(std::string_view("\0", 1));
    }
    std::string hex()
    {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        EVP_DigestFinal_ex(m_ctx.get(), md, &n);
        static const char* digits = "0123456789abcdef";
        std::string out;
        for (unsigned i = 0; i < n; ++i) {
            out += digits[md[i] >> 4];
            out += digits[md[i] & 15];
        }
        return out;
    }

private:
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> m_ctx;
};

Result<void> hash_file(Hasher& h, const std::string& path)
{
    sys::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd)
        return Error::from_errno("open " + path, errno);
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error::from_errno("read " + path, errno);
        if (n == 0)
            return ok();
        h.update(std::string_view(buf, static_cast<size_t>(n)));
    }
}

std::string join(const std::string& a, const std::string& b)
{
    if (a.empty())
        return b;
    if (b.empty())
        return a;
    return a + "/" + b;
}

std::string base_name(const std::string& p)
{
    size_t s = p.rfind('/');
    return s == std::string::npos ? p : p.substr(s + 1);
}

bool all_digits(std::string_view s)
{
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

/// Finds `name` in a passwd/group file; returns field 3 (the id).
std::optional<uint32_t> lookup_id(const std::string& file, const std::string& name)
{
    size_t start = 0;
    while (start < file.size()) {
        size_t nl = file.find('\n', start);
        if (nl == std::string::npos)
            nl = file.size();
        std::string line = file.substr(start, nl - start);
        start = nl + 1;
        size_t c1 = line.find(':');
        if (c1 == std::string::npos || line.substr(0, c1) != name)
            continue;
        size_t c2 = line.find(':', c1 + 1);
        size_t c3 = c2 == std::string::npos ? c2 : line.find(':', c2 + 1);
        if (c3 == std::string::npos)
            continue;
        std::string id = line.substr(c2 + 1, c3 - c2 - 1);
        if (all_digits(id))
            return static_cast<uint32_t>(std::stoul(id));
    }
    return std::nullopt;
}

bool is_url(const std::string& s)
{
    return s.starts_with("http://") || s.starts_with("https://") || s.starts_with("git@");
}

struct ArchiveReadDeleter {
    void operator()(archive* a) const { libarchive().archive_read_free(a); }
};

/// Opens `path` as an archive that ADD extracts; nullptr when it is not one (a plain file,
/// even a compressed one without a tar inside, is copied as is).
std::unique_ptr<archive, ArchiveReadDeleter> open_tar(const std::string& path)
{
    std::unique_ptr<archive, ArchiveReadDeleter> a(libarchive().archive_read_new());
    libarchive().archive_read_support_filter_all(a.get());
    libarchive().archive_read_support_format_tar(a.get());
    libarchive().archive_read_support_format_gnutar(a.get());
    if (libarchive().archive_read_open_filename(a.get(), path.c_str(), 65536) != ARCHIVE_OK)
        return nullptr;
    return a;
}

Result<bool> plan_extract(const std::string& host, const std::string& dest, CopyPlan& plan, Hasher& h,
    const std::optional<std::pair<uint32_t, uint32_t>>& owner, const std::optional<uint32_t>& chmod)
{
    auto a = open_tar(host);
    if (!a)
        return false;
    archive_entry* ae = nullptr;
    int r = libarchive().archive_read_next_header(a.get(), &ae);
    if (r != ARCHIVE_OK)
        return false; // not a tar: ADD copies the file as it is
    for (; r == ARCHIVE_OK; r = libarchive().archive_read_next_header(a.get(), &ae)) {
        std::string name = clean_path(libarchive().archive_entry_pathname(ae));
        if (name == ".")
            continue;
        if (name.starts_with("../") || name == "..")
            return Error(
                Errc::Invalid, "ADD " + host + ": archive entry \"" + name + "\" escapes the destination");
        TarEntry e;
        e.mode = chmod.value_or(libarchive().archive_entry_perm(ae));
        e.uid = owner ? owner->first : static_cast<uint32_t>(libarchive().archive_entry_uid(ae));
        e.gid = owner ? owner->second : static_cast<uint32_t>(libarchive().archive_entry_gid(ae));
        e.mtime = libarchive().archive_entry_mtime(ae);
        switch (libarchive().archive_entry_filetype(ae)) {
        case AE_IFDIR:
            e.kind = TarEntry::Kind::Dir;
            break;
        case AE_IFLNK:
            e.kind = TarEntry::Kind::Symlink;
            e.link = libarchive().archive_entry_symlink(ae) ? libarchive().archive_entry_symlink(ae) : "";
            break;
        case AE_IFREG: {
            if (const char* hl = libarchive().archive_entry_hardlink(ae)) {
                e.kind = TarEntry::Kind::Hardlink;
                e.link = join(dest, clean_path(hl));
                break;
            }
            e.kind = TarEntry::Kind::File;
            char buf[65536];
            la_ssize_t n;
            while ((n = libarchive().archive_read_data(a.get(), buf, sizeof buf)) > 0)
                e.content.append(buf, static_cast<size_t>(n));
            if (n < 0)
                return Error(Errc::Io, "ADD " + host + ": " + libarchive().archive_error_string(a.get()));
            break;
        }
        default:
            continue; // devices and fifos from a context archive are not copied
        }
        std::string path = join(dest, name);
        h.field(path);
        h.field(std::to_string(static_cast<int>(e.kind)) + " " + std::to_string(e.mode) + " "
            + std::to_string(e.uid) + ":" + std::to_string(e.gid));
        h.field(e.link);
        h.field(e.content);
        plan.tar.add(path, std::move(e));
    }
    if (r != ARCHIVE_EOF)
        return Error(Errc::Io, "ADD " + host + ": " + libarchive().archive_error_string(a.get()));
    return true;
}

} // namespace

Result<std::pair<uint32_t, uint32_t>> resolve_chown(const std::string& spec, const MergedTree& rootfs)
{
    std::string user = spec.substr(0, spec.find(':'));
    std::optional<std::string> group;
    if (spec.find(':') != std::string::npos)
        group = spec.substr(spec.find(':') + 1);
    auto fail = [&](const std::string& what) {
        return Error(Errc::Invalid, "unable to convert uid/gid chown string to host mapping: " + what);
    };
    uint32_t uid = 0, gid = 0;
    if (all_digits(user)) {
        uid = static_cast<uint32_t>(std::stoul(user));
    } else {
        auto passwd = TRY(rootfs.read("etc/passwd"));
        auto id = passwd ? lookup_id(*passwd, user) : std::nullopt;
        if (!id)
            return fail("can't find uid for user " + user + ": no such user: " + user);
        uid = *id;
    }
    gid = uid; // the documented rule: without a group, the UID is used as GID
    if (group) {
        if (all_digits(*group)) {
            gid = static_cast<uint32_t>(std::stoul(*group));
        } else {
            auto groups = TRY(rootfs.read("etc/group"));
            auto id = groups ? lookup_id(*groups, *group) : std::nullopt;
            if (!id)
                return fail("can't find gid for group " + *group + ": no such group: " + *group);
            gid = *id;
        }
    }
    return std::pair {uid, gid};
}

Result<CopyPlan> plan_copy(const CopyPlanInput& in)
{
    const CopyCmd& cmd = *in.cmd;
    const std::string verb = cmd.add ? "ADD" : "COPY";
    CopyPlan plan;
    Hasher h;
    std::optional<std::pair<uint32_t, uint32_t>> owner;
    if (!cmd.chown.empty())
        owner = TRY_CTX(resolve_chown(cmd.chown, *in.rootfs), verb);

    std::string dest = cmd.dest;
    if (!dest.starts_with('/'))
        dest = (in.workdir.empty() ? std::string("/") : in.workdir) + "/" + dest;
    bool dest_dir_syntax = dest.ends_with('/') || dest.ends_with("/.");
    std::string dest_rel = clean_path(dest.substr(1));
    if (dest_rel == ".")
        dest_rel.clear();
    auto dest_existing = TRY(in.rootfs->stat(dest_rel));
    bool dest_is_dir
        = dest_dir_syntax || dest_rel.empty() || (dest_existing && S_ISDIR(dest_existing->st.st_mode));

    std::vector<std::string> matches;
    for (const auto& src : cmd.sources) {
        if (is_url(src))
            return Error(Errc::Invalid,
                verb + " " + src
                    + ": downloading from a URL is not supported: wharf builds have no network access (put "
                      "the file in the build context)");
        auto m = in.source->expand(src);
        if (!m) {
            if (m.error().code() == Errc::NotFound && in.source_is_context)
                return Error(Errc::NotFound,
                    verb + " failed: file not found in build context or excluded by .dockerignore: "
                        + m.error().message());
            if (m.error().code() == Errc::NotFound)
                return Error(Errc::NotFound, verb + " failed: " + m.error().message());
            return std::move(m).error().context(verb);
        }
        for (auto& p : *m)
            matches.push_back(p);
    }
    size_t total = matches.size() + cmd.heredocs.size();
    if (total > 1 && !dest_dir_syntax)
        return Error(Errc::Invalid,
            "When using " + verb
                + " with more than one source file, the destination must be a directory and end with a /");

    auto add_entry
        = [&](const std::string& path, const SourceStat& st, bool from_root_of_dir) -> Result<void> {
        (void)from_root_of_dir;
        TarEntry e;
        e.mode = cmd.chmod.value_or(st.st.st_mode & 07777);
        if (owner) {
            e.uid = owner->first;
            e.gid = owner->second;
        } else if (!in.source_is_context) {
            e.uid = st.st.st_uid;
            e.gid = st.st.st_gid;
        }
        e.mtime = st.st.st_mtim.tv_sec;
        if (S_ISDIR(st.st.st_mode)) {
            e.kind = TarEntry::Kind::Dir;
        } else if (S_ISLNK(st.st.st_mode)) {
            e.kind = TarEntry::Kind::Symlink;
            char buf[4096];
            ssize_t n = ::readlink(st.host_path.c_str(), buf, sizeof buf);
            if (n < 0)
                return Error::from_errno("readlink " + st.host_path, errno);
            e.link.assign(buf, static_cast<size_t>(n));
            e.mode = 0777;
        } else if (S_ISREG(st.st.st_mode)) {
            e.kind = TarEntry::Kind::File;
            e.source = st.host_path;
        } else {
            return ok(); // sockets, devices and fifos are not copied from a context
        }
        h.field(path);
        h.field(std::to_string(static_cast<int>(e.kind)) + " " + std::to_string(e.mode) + " "
            + std::to_string(e.uid) + ":" + std::to_string(e.gid));
        h.field(e.link);
        if (e.kind == TarEntry::Kind::File)
            TRY(hash_file(h, e.source));
        h.field("");
        plan.tar.add(path, std::move(e));
        return ok();
    };

    for (const auto& m : matches) {
        auto st = TRY(in.source->stat(m));
        if (!st)
            continue;
        if (S_ISDIR(st->st.st_mode)) {
            // A directory source copies its contents into the destination directory.
            for (const auto& p : TRY(in.source->walk(m))) {
                std::string rest = p.size() > m.size() ? p.substr(m.empty() ? 0 : m.size() + 1) : "";
                auto pst = TRY(in.source->stat(p));
                if (!pst || in.source->excluded(p))
                    continue;
                std::string target = join(dest_rel, rest);
                if (target.empty())
                    continue; // the root's own metadata is never replaced
                if (rest.empty() && dest_existing && S_ISDIR(dest_existing->st.st_mode))
                    continue; // keep an existing destination directory as it is
                TRY(add_entry(target, *pst, rest.empty()));
            }
            continue;
        }
        if (cmd.add && S_ISREG(st->st.st_mode)) {
            if (TRY(plan_extract(st->host_path, dest_rel, plan, h, owner, cmd.chmod)))
                continue;
        }
        std::string target = dest_is_dir ? join(dest_rel, base_name(m)) : dest_rel;
        TRY(add_entry(target, *st, false));
    }
    for (const auto& hd : cmd.heredocs) {
        std::string target = dest_is_dir ? join(dest_rel, hd.name) : dest_rel;
        TarEntry e;
        e.kind = TarEntry::Kind::File;
        e.mode = cmd.chmod.value_or(0644);
        if (owner) {
            e.uid = owner->first;
            e.gid = owner->second;
        }
        e.mtime = in.now;
        e.content = hd.content;
        h.field(target);
        h.field(
            "heredoc " + std::to_string(e.mode) + " " + std::to_string(e.uid) + ":" + std::to_string(e.gid));
        h.field(e.content);
        plan.tar.add(target, std::move(e));
    }

    // Parent directories: as they are in the rootfs, or new (0755, or the --chown owner for
    // the destination directory itself, as BuildKit creates it).
    std::vector<std::string> parents;
    for (const auto& [path, e] : plan.tar.entries()) {
        std::string p = path;
        while (p.find('/') != std::string::npos) {
            p = p.substr(0, p.rfind('/'));
            if (!plan.tar.has(p))
                parents.push_back(p);
        }
    }
    if (dest_is_dir && !dest_rel.empty() && !plan.tar.has(dest_rel) && !dest_existing)
        parents.push_back(dest_rel);
    for (const auto& p : parents) {
        if (plan.tar.has(p))
            continue;
        auto existing = TRY(in.rootfs->stat(p));
        TarEntry d;
        d.kind = TarEntry::Kind::Dir;
        if (existing && S_ISDIR(existing->st.st_mode)) {
            d.mode = existing->st.st_mode & 07777;
            d.uid = existing->st.st_uid;
            d.gid = existing->st.st_gid;
            d.mtime = existing->st.st_mtim.tv_sec;
        } else {
            d.mode = 0755;
            d.mtime = in.now;
            if (owner && p == dest_rel) {
                d.uid = owner->first;
                d.gid = owner->second;
            }
        }
        plan.tar.add(p, std::move(d));
    }
    h.field("dest:" + dest_rel);
    plan.content_digest = "sha256:" + h.hex();
    return plan;
}

} // namespace wharf::engine::build
