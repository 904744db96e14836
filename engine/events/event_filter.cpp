#include "engine/events/event_filter.h"

#include "engine/container/clock.h"

#include <algorithm>
#include <cctype>
#include <functional>

namespace wharf::engine {

namespace {
const char* const kKeys[] = {"container", "event", "image", "label", "network", "type", "volume"};

bool any_of_values(const std::vector<std::string>& values, const std::function<bool(const std::string&)>& pred)
{
    return std::any_of(values.begin(), values.end(), pred);
}

std::string attribute(const Event& e, const std::string& key)
{
    auto it = e.attributes.find(key);
    return it == e.attributes.end() ? "" : it->second;
}

// "name:tag" -> "name" (a registry port's ':' is followed by a '/').
std::string strip_tag(const std::string& image)
{
    auto at = image.find('@');
    std::string s = image.substr(0, at);
    auto colon = s.rfind(':');
    if (colon != std::string::npos && s.find('/', colon) == std::string::npos)
        s = s.substr(0, colon);
    return s;
}
} // namespace

Result<void> add_event_filter(EventFilter& f, const std::string& text)
{
    auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
        return Error(Errc::Invalid, "bad format of filter (expected name=value)");
    std::string key = text.substr(0, eq);
    if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys))
        return Error(Errc::Invalid, "invalid filter '" + key + "'");
    f.terms[key].push_back(text.substr(eq + 1));
    return ok();
}

bool event_matches(const EventFilter& f, const Event& e)
{
    for (const auto& [key, values] : f.terms) {
        bool ok = false;
        if (key == "container") {
            // A container's own events by ID or name; a network's connect/disconnect by the
            // container it names.
            std::string id = e.type == "container" ? e.id : attribute(e, "container");
            std::string name = e.type == "container" ? attribute(e, "name") : "";
            ok = any_of_values(values, [&](const std::string& v) {
                return !v.empty() && !id.empty() && (id.starts_with(v) || name.starts_with(v));
            });
        } else if (key == "network" || key == "volume") {
            std::string name = attribute(e, "name");
            ok = e.type == key && any_of_values(values, [&](const std::string& v) {
                return !v.empty() && (e.id.starts_with(v) || name == v);
            });
        } else if (key == "event") {
            ok = any_of_values(values, [&](const std::string& v) {
                return e.action == v || ((v == "health_status" || v == "exec_create" || v == "exec_start") &&
                                         e.action.starts_with(v));
            });
        } else if (key == "image") {
            std::string image = attribute(e, "image");
            ok = any_of_values(values, [&](const std::string& v) { return v == image || v == strip_tag(image); });
        } else if (key == "label") {
            ok = any_of_values(values, [&](const std::string& v) {
                auto eq = v.find('=');
                auto it = e.attributes.find(v.substr(0, eq));
                return it != e.attributes.end() && (eq == std::string::npos || it->second == v.substr(eq + 1));
            });
        } else if (key == "type") {
            ok = any_of_values(values, [&](const std::string& v) { return v == e.type; });
        }
        if (!ok)
            return false;
    }
    return true;
}

Result<int64_t> parse_event_time(const std::string& text, int64_t now_nano)
{
    auto bad = [&] {
        return Error(Errc::Invalid, "invalid value \"" + text +
                                        "\" for a time: expected Unix seconds, RFC 3339 or a duration such as 10m");
    };
    if (text.empty())
        return bad();
    // Unix seconds, optionally with a fraction.
    if (std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; })) {
        auto dot = text.find('.');
        if (text.find('.', dot == std::string::npos ? text.size() : dot + 1) != std::string::npos || dot == 0)
            return bad();
        int64_t secs = std::stoll(text.substr(0, dot));
        int64_t nanos = 0;
        if (dot != std::string::npos) {
            std::string frac = text.substr(dot + 1, 9);
            frac.resize(9, '0');
            nanos = std::stoll(frac);
        }
        return secs * 1'000'000'000 + nanos;
    }
    if (auto d = parse_go_duration(text))
        return now_nano - *d;
    std::string t = text;
    if (t.size() == 10 && t[4] == '-' && t[7] == '-')
        t += "T00:00:00Z";
    else if (t.find('T') != std::string::npos && t.back() != 'Z' && t.find('+', 10) == std::string::npos &&
             t.find('-', 10) == std::string::npos)
        t += "Z";
    auto when = parse_rfc3339(t);
    if (!when)
        return bad();
    return std::chrono::duration_cast<std::chrono::nanoseconds>(when->time_since_epoch()).count();
}

} // namespace wharf::engine
