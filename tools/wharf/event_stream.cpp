// See event_stream.h.
#include "tools/wharf/event_stream.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>

namespace wharf::cli {

Result<void> follow_events(const std::string& root, const EventWindow& w,
                           const std::function<bool(const engine::Event&)>& emit)
{
    using From = engine::EventFollower::From;
    auto follower = TRY(engine::EventFollower::open(root, w.since ? From::Oldest : From::End));
    for (;;) {
        int timeout = -1;
        if (w.until) {
            int64_t left_ns = *w.until - engine::unix_nanos_now();
            timeout = static_cast<int>(std::clamp<int64_t>(left_ns / 1'000'000 + 1, 0, 1'000'000'000));
        }
        auto events = TRY(follower.next(timeout));
        for (const auto& e : events) {
            if (w.since && e.time_nano < *w.since)
                continue;
            if (w.until && e.time_nano > *w.until)
                return ok();
            if (!emit(e))
                return ok();
        }
        if (w.until && engine::unix_nanos_now() > *w.until && events.empty())
            return ok();
    }
}

namespace {
// Go's time.Format for the local zone: the date/time part by `layout` (strftime), then
// `digits` of fraction (0 = trimmed as RFC3339Nano), then the zone as Z07:00 when `zone`.
std::string go_time(int64_t nanos, const char* layout, int digits, bool zone)
{
    time_t secs = static_cast<time_t>(nanos / 1'000'000'000);
    int64_t frac = nanos % 1'000'000'000;
    tm local{};
    localtime_r(&secs, &local);
    char buf[64];
    std::strftime(buf, sizeof buf, layout, &local);
    std::string out = buf;
    char f[16];
    std::snprintf(f, sizeof f, "%09lld", static_cast<long long>(frac));
    std::string fraction = f;
    if (digits > 0) {
        out += "." + fraction.substr(0, static_cast<size_t>(digits));
    } else {
        while (!fraction.empty() && fraction.back() == '0')
            fraction.pop_back();
        if (!fraction.empty())
            out += "." + fraction;
    }
    if (zone) {
        long off = local.tm_gmtoff;
        if (off == 0) {
            out += "Z";
        } else {
            char z[32];
            std::snprintf(z, sizeof z, "%c%02ld:%02ld", off < 0 ? '-' : '+', std::labs(off) / 3600, std::labs(off) % 3600 / 60);
            out += z;
        }
    }
    return out;
}

std::string attribute_list(const std::map<std::string, std::string>& attrs)
{
    std::string out;
    for (const auto& [k, v] : attrs)
        out += (out.empty() ? "" : ", ") + k + "=" + v;
    return out;
}

// docker compose leaves its own labels out of the attributes it shows; wharf's compose
// bookkeeping labels (dev.wharf.compose.*) are of the same kind.
std::map<std::string, std::string> compose_attributes(const engine::Event& e)
{
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : e.attributes)
        if (!k.starts_with("com.docker.compose.") && !k.starts_with("dev.wharf.compose."))
            out[k] = v;
    return out;
}
} // namespace

std::string docker_event_line(const engine::Event& e)
{
    std::string line = go_time(e.time_nano, "%Y-%m-%dT%H:%M:%S", 9, true) + " " + e.type + " " + e.action + " " + e.id;
    if (!e.attributes.empty())
        line += " (" + attribute_list(e.attributes) + ")";
    return line;
}

std::string compose_event_line(const engine::Event& e)
{
    return go_time(e.time_nano, "%Y-%m-%d %H:%M:%S", 6, false) + " container " + e.action + " " + e.id + " (" +
           attribute_list(compose_attributes(e)) + ")";
}

std::string compose_event_json(const engine::Event& e, const std::string& service)
{
    nlohmann::json j; // keys sorted, as Go marshals a map
    j["action"] = e.action;
    auto attrs = compose_attributes(e);
    j["attributes"] = attrs.empty() ? nlohmann::json::object() : nlohmann::json(attrs);
    j["id"] = e.id;
    j["service"] = service;
    j["time"] = go_time(e.time_nano, "%Y-%m-%dT%H:%M:%S", 0, true);
    j["type"] = "container";
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace wharf::cli
