// .dockerignore matching (see dockerignore.h): segment-wise glob matching with `**`.
#include "engine/build/dockerignore.h"

#include <fnmatch.h>

namespace wharf::engine::build {
namespace {

std::vector<std::string> split(std::string_view path)
{
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= path.size()) {
        size_t slash = path.find('/', start);
        if (slash == std::string_view::npos)
            slash = path.size();
        if (slash > start)
            out.emplace_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return out;
}

bool match_segments(const std::vector<std::string>& pat, size_t pi, const std::vector<std::string>& path,
    size_t si, size_t path_len)
{
    while (pi < pat.size()) {
        if (pat[pi] == "**") {
            // Collapse repeated `**`, then let it swallow 0..n segments.
            while (pi + 1 < pat.size() && pat[pi + 1] == "**")
                ++pi;
            if (pi + 1 == pat.size())
                return true;
            for (size_t k = si; k <= path_len; ++k)
                if (match_segments(pat, pi + 1, path, k, path_len))
                    return true;
            return false;
        }
        if (si >= path_len)
            return false;
        if (fnmatch(pat[pi].c_str(), path[si].c_str(), 0) != 0)
            return false;
        ++pi;
        ++si;
    }
    return si == path_len;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

} // namespace

std::string clean_path(std::string_view path)
{
    std::vector<std::string> out;
    for (auto& seg : split(path)) {
        if (seg == ".")
            continue;
        if (seg == "..") {
            if (!out.empty() && out.back() != "..")
                out.pop_back();
            else if (!path.starts_with('/'))
                out.push_back(seg);
            continue;
        }
        out.push_back(seg);
    }
    std::string joined;
    for (auto& s : out)
        joined += (joined.empty() ? "" : "/") + s;
    return joined.empty() ? "." : joined;
}

bool path_match(std::string_view pattern, std::string_view path)
{
    auto pat = split(pattern);
    auto segs = split(path);
    return match_segments(pat, 0, segs, 0, segs.size());
}

IgnoreMatcher IgnoreMatcher::parse(std::string_view text)
{
    IgnoreMatcher m;
    size_t start = 0;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos)
            nl = text.size();
        std::string_view line = trim(text.substr(start, nl - start));
        start = nl + 1;
        if (line.empty() || line.front() == '#')
            continue;
        Pattern p;
        if (line.front() == '!') {
            p.exception = true;
            line = trim(line.substr(1));
            m.m_has_exceptions = true;
        }
        std::string cleaned = clean_path(line);
        if (cleaned == ".")
            continue; // Docker ignores a pattern of "." (it would exclude the whole context)
        p.segments = split(cleaned);
        m.m_patterns.push_back(std::move(p));
    }
    return m;
}

bool IgnoreMatcher::excluded(std::string_view path) const
{
    if (m_patterns.empty())
        return false;
    auto segs = split(path);
    bool excluded = false;
    for (const auto& p : m_patterns) {
        // A pattern matching the path or any of its parent directories applies.
        bool matched = false;
        for (size_t len = 1; len <= segs.size() && !matched; ++len)
            matched = match_segments(p.segments, 0, segs, 0, len);
        if (matched)
            excluded = !p.exception;
    }
    return excluded;
}

} // namespace wharf::engine::build
