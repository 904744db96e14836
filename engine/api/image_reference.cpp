#include "engine/api/image_reference.h"

#include <cctype>

namespace wharf::engine {

namespace {

Error bad(std::string_view text, std::string why)
{
    return Error(Errc::Invalid, "invalid reference format: " + why + " (\"" + std::string(text) + "\")");
}

bool alnum_lower(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/// One path component: [a-z0-9]+ ((\.|_|__|-+)[a-z0-9]+)*
bool valid_component(std::string_view c)
{
    if (c.empty() || !alnum_lower(c.front()) || !alnum_lower(c.back()))
        return false;
    for (size_t i = 0; i < c.size();) {
        if (alnum_lower(c[i])) {
            ++i;
            continue;
        }
        size_t j = i;
        while (j < c.size() && !alnum_lower(c[j]))
            ++j;
        std::string_view sep = c.substr(i, j - i);
        bool ok = sep == "." || sep == "_" || sep == "__" || sep.find_first_not_of('-') == std::string_view::npos;
        if (!ok)
            return false;
        i = j;
    }
    return true;
}

bool valid_domain(std::string_view d)
{
    if (d.empty())
        return false;
    std::string_view host = d;
    if (d.front() == '[') {
        auto close = d.find(']');
        if (close == std::string_view::npos)
            return false;
        host = d.substr(0, close + 1);
        std::string_view rest = d.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':' || rest.size() == 1)
                return false;
            for (char c : rest.substr(1))
                if (!std::isdigit(static_cast<unsigned char>(c)))
                    return false;
        }
        for (char c : host.substr(1, host.size() - 2))
            if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.')
                return false;
        return true;
    }
    if (auto colon = d.rfind(':'); colon != std::string_view::npos) {
        host = d.substr(0, colon);
        std::string_view port = d.substr(colon + 1);
        if (port.empty())
            return false;
        for (char c : port)
            if (!std::isdigit(static_cast<unsigned char>(c)))
                return false;
    }
    size_t start = 0;
    while (start <= host.size()) {
        size_t dot = host.find('.', start);
        std::string_view label = host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || !std::isalnum(static_cast<unsigned char>(label.front())) ||
            !std::isalnum(static_cast<unsigned char>(label.back())))
            return false;
        for (char c : label)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-')
                return false;
        if (dot == std::string_view::npos)
            break;
        start = dot + 1;
    }
    return true;
}

bool valid_tag(std::string_view t)
{
    if (t.empty() || t.size() > 128)
        return false;
    auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    if (!word(t.front()))
        return false;
    for (char c : t)
        if (!word(c) && c != '.' && c != '-')
            return false;
    return true;
}

bool all_hex(std::string_view s)
{
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

} // namespace

bool is_image_id(std::string_view text)
{
    if (text.starts_with("sha256:"))
        text.remove_prefix(7);
    return text.size() == 64 && all_hex(text);
}

bool is_id_prefix(std::string_view text)
{
    if (text.starts_with("sha256:"))
        text.remove_prefix(7);
    return !text.empty() && text.size() <= 64 && all_hex(text);
}

Result<ImageReference> ImageReference::parse(std::string_view text, DefaultTag def)
{
    if (text.empty())
        return bad(text, "empty reference");
    if (is_image_id(text) && !text.starts_with("sha256:"))
        return bad(text, "cannot specify 64-byte hexadecimal strings");
    ImageReference ref;
    std::string_view rest = text;
    if (auto at = rest.find('@'); at != std::string_view::npos) {
        auto d = Digest::parse(rest.substr(at + 1));
        if (!d)
            return bad(text, d.error().message());
        ref.digest = *d;
        rest = rest.substr(0, at);
    }
    // A tag follows the last ':' that comes after the last '/'.
    auto last_slash = rest.rfind('/');
    auto colon = rest.rfind(':');
    if (colon != std::string_view::npos && (last_slash == std::string_view::npos || colon > last_slash)) {
        std::string_view tag = rest.substr(colon + 1);
        if (!valid_tag(tag))
            return bad(text, "invalid tag \"" + std::string(tag) + "\"");
        if (!ref.digest) // Docker keeps only the digest when both are given
            ref.tag = std::string(tag);
        rest = rest.substr(0, colon);
    }
    if (rest.empty())
        return bad(text, "missing repository name");
    std::string_view remote = rest;
    auto slash = rest.find('/');
    if (slash == std::string_view::npos) {
        ref.domain = "docker.io";
    } else {
        std::string_view first = rest.substr(0, slash);
        bool is_domain = first == "localhost" || first.find_first_of(".:") != std::string_view::npos ||
                         first.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string_view::npos;
        if (is_domain) {
            if (!valid_domain(first))
                return bad(text, "invalid registry host \"" + std::string(first) + "\"");
            ref.domain = std::string(first);
            remote = rest.substr(slash + 1);
        } else {
            ref.domain = "docker.io";
        }
    }
    if (ref.domain == "index.docker.io")
        ref.domain = "docker.io";
    for (char c : remote)
        if (c >= 'A' && c <= 'Z')
            return Error(Errc::Invalid, "invalid reference format: repository name (" + std::string(remote) +
                                            ") must be lowercase");
    if (remote.size() > 255)
        return bad(text, "repository name must not be more than 255 characters");
    size_t start = 0;
    for (;;) {
        size_t end = remote.find('/', start);
        std::string_view comp = remote.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (!valid_component(comp))
            return bad(text, "invalid repository name component \"" + std::string(comp) + "\"");
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    ref.path = std::string(remote);
    if (ref.domain == "docker.io" && ref.path.find('/') == std::string::npos)
        ref.path = "library/" + ref.path;
    if (def == DefaultTag::Latest && ref.tag.empty() && !ref.digest)
        ref.tag = "latest";
    return ref;
}

std::string ImageReference::str() const
{
    std::string s = name();
    if (!tag.empty())
        s += ":" + tag;
    if (digest)
        s += "@" + digest->str();
    return s;
}

std::string ImageReference::familiar_name() const
{
    if (domain != "docker.io")
        return name();
    if (path.starts_with("library/") && path.find('/', 8) == std::string::npos)
        return path.substr(8);
    return path;
}

std::string ImageReference::familiar() const
{
    std::string s = familiar_name();
    if (!tag.empty())
        s += ":" + tag;
    if (digest)
        s += "@" + digest->str();
    return s;
}

std::string ImageReference::registry_host() const
{
    return domain == "docker.io" ? "registry-1.docker.io" : domain;
}

} // namespace wharf::engine
