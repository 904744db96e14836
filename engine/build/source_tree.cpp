// COPY/ADD source trees (see source_tree.h).
#include "engine/build/source_tree.h"

#include "engine/sys/file.h"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fnmatch.h>
#include <memory>
#include <set>
#include <sys/xattr.h>

namespace wharf::engine::build {
namespace {

std::string join(const std::string& a, const std::string& b)
{
    return a.empty() ? b : a + "/" + b;
}

Result<std::optional<struct stat>> lstat_opt(const std::string& path)
{
    struct stat st { };
    if (::lstat(path.c_str(), &st) == 0)
        return std::optional<struct stat>(st);
    if (errno == ENOENT || errno == ENOTDIR)
        return std::optional<struct stat>();
    return Error::from_errno("lstat " + path, errno);
}

Result<std::vector<std::string>> read_dir(const std::string& path)
{
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(path.c_str()), ::closedir);
    if (!d)
        return Error::from_errno("opendir " + path, errno);
    std::vector<std::string> out;
    while (dirent* de = ::readdir(d.get())) {
        std::string n = de->d_name;
        if (n != "." && n != "..")
            out.push_back(std::move(n));
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool is_whiteout(const struct stat& st)
{
    return S_ISCHR(st.st_mode) && st.st_rdev == 0;
}

bool has_glob(const std::string& s)
{
    return s.find_first_of("*?[") != std::string::npos;
}

std::vector<std::string> segments(const std::string& path)
{
    std::vector<std::string> out;
    size_t start = 0;
    while (start < path.size()) {
        size_t slash = path.find('/', start);
        if (slash == std::string::npos)
            slash = path.size();
        if (slash > start)
            out.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return out;
}

} // namespace

Result<std::vector<std::string>> SourceTree::expand(const std::string& pattern) const
{
    std::string cleaned = clean_path(pattern.starts_with('/') ? pattern.substr(1) : pattern);
    if (cleaned == "..")
        cleaned = "..";
    if (cleaned.starts_with("../") || cleaned == "..")
        return Error(Errc::Invalid, "forbidden path outside the build context: " + pattern);
    if (cleaned == ".")
        cleaned.clear();
    if (!has_glob(cleaned)) {
        auto st = TRY(stat(cleaned));
        if (!st)
            return Error(Errc::NotFound, "\"" + pattern + "\": not found");
        return std::vector<std::string> {cleaned};
    }
    std::vector<std::string> current {""};
    for (const auto& seg : segments(cleaned)) {
        std::vector<std::string> next;
        for (const auto& base : current) {
            if (!has_glob(seg)) {
                if (TRY(stat(join(base, seg))))
                    next.push_back(join(base, seg));
                continue;
            }
            auto st = TRY(stat(base));
            if (!st || !S_ISDIR(st->st.st_mode))
                continue;
            for (const auto& name : TRY(list(base)))
                if (fnmatch(seg.c_str(), name.c_str(), FNM_PERIOD) == 0)
                    next.push_back(join(base, name));
        }
        current = std::move(next);
    }
    if (current.empty())
        return Error(Errc::NotFound, "\"" + pattern + "\": no source files were specified");
    std::sort(current.begin(), current.end());
    return current;
}

Result<std::vector<std::string>> SourceTree::walk(const std::string& rel) const
{
    std::vector<std::string> out {rel};
    auto st = TRY(stat(rel));
    if (st && S_ISDIR(st->st.st_mode))
        for (const auto& name : TRY(list(rel)))
            for (auto& p : TRY(walk(join(rel, name))))
                out.push_back(std::move(p));
    return out;
}

Result<std::optional<SourceStat>> ContextTree::stat(const std::string& rel) const
{
    if (!rel.empty() && m_ignore.excluded(rel)) {
        // An excluded directory still exists when an exception re-includes something in it.
        auto st = TRY(lstat_opt(m_dir + "/" + rel));
        if (!st || !S_ISDIR(st->st_mode) || !m_ignore.has_exceptions())
            return std::optional<SourceStat>();
        return std::optional<SourceStat>(SourceStat {*st, m_dir + "/" + rel});
    }
    std::string host = rel.empty() ? m_dir : m_dir + "/" + rel;
    auto st = TRY(lstat_opt(host));
    if (!st)
        return std::optional<SourceStat>();
    return std::optional<SourceStat>(SourceStat {*st, host});
}

Result<std::vector<std::string>> ContextTree::list(const std::string& rel) const
{
    std::vector<std::string> out;
    for (auto& name : TRY(read_dir(rel.empty() ? m_dir : m_dir + "/" + rel))) {
        std::string child = join(rel, name);
        if (!m_ignore.excluded(child)) {
            out.push_back(std::move(name));
            continue;
        }
        if (m_ignore.has_exceptions()) {
            auto st = TRY(lstat_opt(m_dir + "/" + child));
            if (st && S_ISDIR(st->st_mode))
                out.push_back(std::move(name)); // may hold re-included files; walked, not copied itself
        }
    }
    return out;
}

Result<std::optional<SourceStat>> MergedTree::stat(const std::string& rel) const
{
    // From the top layer down, the first layer holding the path decides, unless a layer on
    // the way replaced a parent directory (file or whiteout) or made it opaque.
    auto segs = segments(rel);
    std::string attr = m_prefix + "overlay.opaque";
    for (size_t li = m_layers.size(); li-- > 0;) {
        const std::string& layer = m_layers[li];
        bool hides_below = false;
        bool parents_here = true;
        std::string prefix;
        for (size_t k = 0; k + 1 < segs.size(); ++k) {
            prefix = join(prefix, segs[k]);
            auto pst = TRY(lstat_opt(layer + "/" + prefix));
            if (!pst) {
                parents_here = false;
                break;
            }
            if (is_whiteout(*pst) || !S_ISDIR(pst->st_mode))
                return std::optional<SourceStat>();
            char v[4];
            if (::lgetxattr((layer + "/" + prefix).c_str(), attr.c_str(), v, sizeof v) == 1 && v[0] == 'y')
                hides_below = true;
        }
        if (parents_here) {
            std::string host = rel.empty() ? layer : layer + "/" + rel;
            auto st = TRY(lstat_opt(host));
            if (st) {
                if (is_whiteout(*st))
                    return std::optional<SourceStat>();
                return std::optional<SourceStat>(SourceStat {*st, host});
            }
        }
        if (hides_below)
            return std::optional<SourceStat>();
    }
    return std::optional<SourceStat>();
}

Result<std::vector<std::string>> MergedTree::list(const std::string& rel) const
{
    std::set<std::string> names, hidden;
    for (size_t li = m_layers.size(); li-- > 0;) {
        std::string host = rel.empty() ? m_layers[li] : m_layers[li] + "/" + rel;
        auto st = TRY(lstat_opt(host));
        if (!st)
            continue;
        if (!S_ISDIR(st->st_mode))
            break; // a non-directory here hides everything below
        for (auto& name : TRY(read_dir(host))) {
            if (names.contains(name) || hidden.contains(name))
                continue;
            auto cst = TRY(lstat_opt(host + "/" + name));
            if (cst && is_whiteout(*cst))
                hidden.insert(name);
            else
                names.insert(name);
        }
        char v[4];
        std::string attr = m_prefix + "overlay.opaque";
        if (::lgetxattr(host.c_str(), attr.c_str(), v, sizeof v) == 1 && v[0] == 'y')
            break;
    }
    return std::vector<std::string>(names.begin(), names.end());
}

Result<std::optional<std::string>> MergedTree::read(const std::string& rel) const
{
    auto st = TRY(stat(rel));
    if (!st || !S_ISREG(st->st.st_mode))
        return std::optional<std::string>();
    return std::optional<std::string>(TRY(sys::read_file(st->host_path)));
}

} // namespace wharf::engine::build
