#include "tools/wharf/cp_paths.h"

#include <vector>

namespace wharf::cli {

namespace {
bool copies_contents(const std::string& p)
{
    return p.size() >= 2 && p.compare(p.size() - 2, 2, "/.") == 0;
}

} // namespace

CpSpec split_cp_spec(const std::string& arg)
{
    // Docker: a leading '/' or '.' is always a host path; otherwise "NAME:PATH" names a container.
    if (arg.empty() || arg[0] == '/' || arg[0] == '.')
        return {"", arg};
    auto colon = arg.find(':');
    if (colon == std::string::npos)
        return {"", arg};
    return {arg.substr(0, colon), arg.substr(colon + 1)};
}

std::string container_side_path(const std::string& path)
{
    if (path.empty())
        return "/";
    return path[0] == '/' ? path : "/" + path;
}

std::string base_name(std::string p)
{
    while (p.size() > 1 && p.back() == '/')
        p.pop_back();
    auto slash = p.rfind('/');
    return slash == std::string::npos ? p : p.substr(slash + 1);
}

std::string dir_name(std::string p)
{
    while (p.size() > 1 && p.back() == '/')
        p.pop_back();
    auto slash = p.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : p.substr(0, slash);
}

std::string clean_path(const std::string& path)
{
    bool absolute = !path.empty() && path[0] == '/';
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= path.size()) {
        size_t slash = path.find('/', start);
        std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (part == "..") {
            if (!parts.empty() && parts.back() != "..")
                parts.pop_back();
            else if (!absolute)
                parts.push_back(part);
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        if (slash == std::string::npos)
            break;
        start = slash + 1;
    }
    std::string out = absolute ? "/" : "";
    for (size_t i = 0; i < parts.size(); ++i)
        out += (i ? "/" : "") + parts[i];
    return out.empty() ? "." : out;
}

std::string follow_link_path(const std::string& link, const std::string& target)
{
    if (!target.empty() && target[0] == '/')
        return clean_path(target);
    return clean_path(dir_name(link) + "/" + target);
}

// Docker's rule: where SRC (of kind `src_dir`) lands given what DEST is.
Result<std::string> cp_target(const std::string& src, bool src_dir, const std::string& dest, CpDest dest_kind)
{
    if (dest_kind == CpDest::Directory)
        return src_dir && copies_contents(src) ? dest
                                               : dest + (dest.back() == '/' ? "" : "/") + base_name(src);
    if (dest_kind == CpDest::Other && src_dir)
        return Error(Errc::Invalid, "cannot copy a directory to a file: " + dest);
    if (dest_kind == CpDest::Missing && !src_dir && dest.back() == '/')
        return Error(Errc::NotFound, "no such directory: " + dest);
    return dest;
}

} // namespace wharf::cli
