#include "tools/wharf/human.h"

#include "engine/container/clock.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace wharf::cli {

std::string human_size(double bytes, int precision)
{
    static const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    int u = 0;
    while (bytes >= 1000.0 && u < 8) {
        bytes /= 1000.0;
        ++u;
    }
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*g%s", precision, bytes, units[u]);
    return buf;
}

std::string time_ago(int64_t t, int64_t now)
{
    if (t <= 0)
        return "";
    auto d = std::chrono::seconds(std::max<int64_t>(0, now - t));
    return engine::human_duration(d) + " ago";
}

std::string unix_time_text(int64_t t)
{
    time_t secs = static_cast<time_t>(t);
    tm utc {};
    gmtime_r(&secs, &utc);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S +0000 UTC", &utc);
    return buf;
}

} // namespace wharf::cli
