#include "engine/container/clock.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace wharf::engine {

std::string format_rfc3339nano(SystemTime t)
{
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
    time_t secs = static_cast<time_t>(ns / 1000000000);
    long frac = static_cast<long>(ns % 1000000000);
    tm utc{};
    gmtime_r(&secs, &utc);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
    std::string out = buf;
    if (frac) {
        char f[16];
        std::snprintf(f, sizeof f, ".%09ld", frac);
        std::string fs = f;
        while (fs.back() == '0')
            fs.pop_back();
        out += fs;
    }
    return out + "Z";
}

std::string now_rfc3339nano() { return format_rfc3339nano(std::chrono::system_clock::now()); }

std::optional<SystemTime> parse_rfc3339(const std::string& text)
{
    tm t{};
    int consumed = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &t.tm_year, &t.tm_mon, &t.tm_mday,
                    &t.tm_hour, &t.tm_min, &t.tm_sec, &consumed) != 6)
        return std::nullopt;
    t.tm_year -= 1900;
    t.tm_mon -= 1;
    long long ns = 0;
    size_t i = static_cast<size_t>(consumed);
    if (i < text.size() && text[i] == '.') {
        ++i;
        long long scale = 100000000;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
            ns += (text[i] - '0') * scale;
            scale /= 10;
            ++i;
        }
    }
    long offset = 0;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
        int hh = 0, mm = 0;
        if (std::sscanf(text.c_str() + i + 1, "%2d:%2d", &hh, &mm) != 2)
            return std::nullopt;
        offset = (hh * 3600 + mm * 60) * (text[i] == '+' ? 1 : -1);
    } else if (i >= text.size() || text[i] != 'Z') {
        return std::nullopt;
    }
    time_t secs = timegm(&t) - offset;
    return SystemTime(std::chrono::duration_cast<SystemTime::duration>(
        std::chrono::seconds(secs) + std::chrono::nanoseconds(ns)));
}

std::string human_duration(std::chrono::nanoseconds d)
{
    // Docker's go-units HumanDuration.
    long long s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
    auto plural = [](long long n, const char* unit) {
        return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
    };
    if (s < 1)
        return "Less than a second";
    if (s == 1)
        return "1 second";
    if (s < 60)
        return plural(s, "second");
    long long m = s / 60;
    if (m == 1)
        return "About a minute";
    if (m < 60)
        return plural(m, "minute");
    long long h = static_cast<long long>(std::llround(static_cast<double>(s) / 3600.0));
    if (h == 1)
        return "About an hour";
    if (h < 48)
        return plural(h, "hour");
    if (h < 24 * 7 * 2)
        return plural(h / 24, "day");
    if (h < 24 * 30 * 2)
        return plural(h / 24 / 7, "week");
    if (h < 24 * 365 * 2)
        return plural(h / 24 / 30, "month");
    return plural(h / 24 / 365, "year");
}

std::optional<int64_t> parse_go_duration(const std::string& text)
{
    if (text.empty())
        return std::nullopt;
    if (text == "0")
        return 0;
    double total = 0;
    size_t i = 0;
    while (i < text.size()) {
        size_t start = i;
        while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
            ++i;
        if (start == i)
            return std::nullopt;
        double value = std::stod(text.substr(start, i - start));
        size_t ustart = i;
        while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])))
            ++i;
        std::string unit = text.substr(ustart, i - ustart);
        double scale;
        if (unit == "ns") scale = 1;
        else if (unit == "us" || unit == "µs") scale = 1e3;
        else if (unit == "ms") scale = 1e6;
        else if (unit == "s") scale = 1e9;
        else if (unit == "m") scale = 60e9;
        else if (unit == "h") scale = 3600e9;
        else return std::nullopt;
        total += value * scale;
    }
    return static_cast<int64_t>(total);
}

} // namespace wharf::engine
