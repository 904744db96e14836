// Node scalars and mappings → model values (see scalars.h).
#include "compose/loader/scalars.h"

#include "compose/loader/units.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace wharf::compose::loader {

using Path = const std::string&;

std::string str(const Node& n) { return n.is_null() ? std::string() : n.text; }

Result<bool> boolean(const Node& n, Path path)
{
    std::string l = n.text;
    std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return std::tolower(c); });
    if (l == "true" || l == "yes" || l == "on" || l == "y")
        return true;
    if (l == "false" || l == "no" || l == "off" || l == "n" || n.is_null())
        return false;
    return node_error(n.mark, path, "invalid boolean \"" + n.text + "\"");
}

Result<int64_t> integer(const Node& n, Path path)
{
    const std::string& t = n.text;
    try {
        size_t used = 0;
        long long v = 0;
        if (t.rfind("0x", 0) == 0)
            v = std::stoll(t.substr(2), &used, 16), used += 2;
        else if (t.rfind("0o", 0) == 0)
            v = std::stoll(t.substr(2), &used, 8), used += 2;
        else
            v = std::stoll(t, &used, 10);
        if (used == t.size())
            return static_cast<int64_t>(v);
    } catch (const std::exception&) {
    }
    return node_error(n.mark, path, "invalid integer \"" + t + "\"");
}

Result<double> number(const Node& n, Path path)
{
    try {
        size_t used = 0;
        double v = std::stod(n.text, &used);
        if (used == n.text.size())
            return v;
    } catch (const std::exception&) {
    }
    return node_error(n.mark, path, "invalid number \"" + n.text + "\"");
}

Result<Duration> duration(const Node& n, Path path)
{
    auto d = parse_duration(n.text);
    if (!d)
        return node_error(n.mark, path, d.error().message());
    return *d;
}

Result<UnitBytes> bytes(const Node& n, Path path)
{
    auto b = parse_bytes(n.text);
    if (!b)
        return node_error(n.mark, path, b.error().message());
    return *b;
}

Result<uint32_t> file_mode(const Node& n, Path path)
{
    // Octal when written as a string ("0440"); a YAML number is taken as is (0o440 or 288).
    const std::string& t = n.text;
    try {
        size_t used = 0;
        unsigned long v;
        if (t.rfind("0o", 0) == 0)
            v = std::stoul(t.substr(2), &used, 8), used += 2;
        else if (t.size() > 1 && t[0] == '0')
            v = std::stoul(t, &used, 8);
        else
            v = std::stoul(t, &used, 10);
        if (used == t.size())
            return static_cast<uint32_t>(v);
    } catch (const std::exception&) {
    }
    return node_error(n.mark, path, "invalid file mode \"" + t + "\"");
}

std::vector<std::string> string_list(const Node& n)
{
    std::vector<std::string> out;
    if (n.is_seq())
        for (const auto& i : n.items)
            out.push_back(str(i));
    else if (!n.is_null())
        out.push_back(n.text);
    return out;
}

/// Go's fmt.Sprint of a float64 (shortest digits; %e form below 1e-4 and from 1e6 on).
std::string go_float_text(double f)
{
    if (std::isnan(f))
        return "NaN";
    if (std::isinf(f))
        return f > 0 ? "+Inf" : "-Inf";
    char buf[64];
    auto sci = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::scientific);
    std::string text(buf, sci.ptr);
    int exp = std::atoi(text.c_str() + text.find('e') + 1);
    if (exp < -4 || exp >= 6)
        return text;
    auto fixed = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::fixed);
    return std::string(buf, fixed.ptr);
}

/// The text compose-go gives a mapping value: go-yaml decodes plain numbers and booleans
/// to Go values and fmt.Sprint prints them back, so `1.50` becomes "1.5", `0x1F` "31",
/// `017` "15" (Go's base-0 integer syntax) and `True` "true". Quoted or interpolated text
/// stays as it is.
std::string scalar_text(const Node& n)
{
    if (n.is_null())
        return "";
    if (n.quoted || n.interpolated || !n.is_scalar())
        return n.text;
    switch (n.scalar_type()) {
    case Node::Scalar::Bool: return n.text[0] == 't' || n.text[0] == 'T' ? "true" : "false";
    case Node::Scalar::Int: {
        std::string t = n.text;
        bool neg = !t.empty() && t[0] == '-';
        if (!t.empty() && (t[0] == '-' || t[0] == '+'))
            t.erase(0, 1);
        int base = 10;
        if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'o')) {
            base = t[1] == 'x' ? 16 : 8;
            t.erase(0, 2);
        } else if (t.size() > 1 && t[0] == '0') {
            base = 8;
            if (t.find_first_of("89") != std::string::npos)
                return go_float_text(std::strtod(n.text.c_str(), nullptr)); // as go-yaml: not octal, a float
        }
        uint64_t v = 0;
        auto r = std::from_chars(t.data(), t.data() + t.size(), v, base);
        if (r.ec != std::errc() || r.ptr != t.data() + t.size() || v > (neg ? 9223372036854775808ULL : INT64_MAX))
            return n.text;
        return (neg && v ? "-" : "") + std::to_string(v);
    }
    case Node::Scalar::Float: {
        std::string t = n.text;
        std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
        if (t == ".inf" || t == "+.inf")
            return "+Inf";
        if (t == "-.inf")
            return "-Inf";
        if (t == ".nan")
            return "NaN";
        return go_float_text(std::strtod(n.text.c_str(), nullptr));
    }
    default: return n.text;
    }
}

Mapping mapping(const Node& n)
{
    Mapping m;
    if (n.is_map()) {
        for (const auto& e : n.entries)
            m[e.key] = scalar_text(e.value);
    } else if (n.is_seq()) {
        for (const auto& i : n.items) {
            auto eq = i.text.find('=');
            if (eq == std::string::npos)
                m[i.text] = "";
            else
                m[i.text.substr(0, eq)] = i.text.substr(eq + 1);
        }
    }
    return m;
}

/// KEY=VALUE lists need a key: "=x" is refused (its map form, `"": x`, is invalid too).
Result<void> check_keyed_list(const Node& n, Path path)
{
    if (!n.is_seq())
        return ok();
    for (size_t i = 0; i < n.items.size(); ++i)
        if (n.items[i].text.empty() || n.items[i].text[0] == '=')
            return node_error(n.items[i].mark, path + "[" + std::to_string(i) + "]",
                "invalid entry \"" + n.items[i].text + "\": expected KEY or KEY=VALUE");
    return ok();
}

MappingWithEquals mapping_with_equals(const Node& n, const Environment& env)
{
    MappingWithEquals m;
    auto from_env = [&](const std::string& k) -> std::optional<std::string> {
        auto it = env.find(k);
        if (it == env.end())
            return std::nullopt;
        return it->second;
    };
    if (n.is_map()) {
        for (const auto& e : n.entries)
            m[e.key] = e.value.is_null() ? from_env(e.key) : std::optional<std::string>(scalar_text(e.value));
    } else if (n.is_seq()) {
        for (const auto& i : n.items) {
            auto eq = i.text.find('=');
            if (eq == std::string::npos)
                m[i.text] = from_env(i.text);
            else
                m[i.text.substr(0, eq)] = i.text.substr(eq + 1);
        }
    }
    return m;
}

} // namespace wharf::compose::loader
