#include "compose/loader/path.h"

#include <vector>

namespace wharf::compose::loader {

std::string join_path(const std::string& parent, std::string_view key)
{
    if (parent.empty())
        return std::string(key);
    std::string out = parent;
    out += '.';
    out += key;
    return out;
}

std::string clean_path(const std::string& p)
{
    if (p.empty())
        return ".";
    bool abs = p[0] == '/';
    std::vector<std::string> parts;
    size_t i = 0;
    while (i <= p.size()) {
        size_t j = p.find('/', i);
        if (j == std::string::npos)
            j = p.size();
        std::string part = p.substr(i, j - i);
        if (part.empty() || part == ".") {
        } else if (part == "..") {
            if (!parts.empty() && parts.back() != "..")
                parts.pop_back();
            else if (!abs)
                parts.push_back("..");
        } else {
            parts.push_back(part);
        }
        i = j + 1;
    }
    std::string out = abs ? "/" : "";
    for (size_t k = 0; k < parts.size(); ++k) {
        if (k)
            out += '/';
        out += parts[k];
    }
    if (out.empty())
        return ".";
    return out;
}

std::string resolve_path(const std::string& base, const std::string& p, const std::string& home)
{
    if (p == "~")
        return clean_path(home);
    if (p.rfind("~/", 0) == 0)
        return clean_path(home + p.substr(1));
    if (!p.empty() && p[0] == '/')
        return clean_path(p);
    return clean_path(base + "/" + p);
}

std::string dir_name(const std::string& p)
{
    auto pos = p.find_last_of('/');
    if (pos == std::string::npos)
        return ".";
    if (pos == 0)
        return "/";
    return p.substr(0, pos);
}

std::string base_name(const std::string& p)
{
    std::string s = p;
    while (s.size() > 1 && s.back() == '/')
        s.pop_back();
    auto pos = s.find_last_of('/');
    return pos == std::string::npos ? s : s.substr(pos + 1);
}

bool is_remote_context(const std::string& p)
{
    return p.find("://") != std::string::npos || p.rfind("git@", 0) == 0 || p.rfind("github.com/", 0) == 0;
}

} // namespace wharf::compose::loader
