#include "compose/loader/units.h"

#include <cmath>

namespace wharf::compose::loader {

Result<Duration> parse_duration(const std::string& s)
{
    auto bad = [&] { return Error(Errc::Invalid, "invalid duration \"" + s + "\""); };
    if (s.empty())
        return bad();
    size_t i = 0;
    bool neg = false;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        ++i;
    }
    if (s.substr(i) == "0")
        return Duration{0};
    long double total = 0;
    bool any = false;
    while (i < s.size()) {
        size_t start = i;
        while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.'))
            ++i;
        std::string number = s.substr(start, i - start);
        if (i == start || number.find('.') != number.rfind('.') || number == ".")
            return bad();
        long double v = std::strtold(number.c_str(), nullptr);
        size_t ustart = i;
        while (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i])) && s[i] != '.')
            ++i;
        std::string unit = s.substr(ustart, i - ustart);
        long double mult;
        if (unit == "ns") mult = 1;
        else if (unit == "us" || unit == "µs" || unit == "μs") mult = 1e3;
        else if (unit == "ms") mult = 1e6;
        else if (unit == "s") mult = 1e9;
        else if (unit == "m") mult = 60e9;
        else if (unit == "h") mult = 3600e9;
        else return bad();
        total += v * mult;
        any = true;
    }
    if (!any)
        return bad();
    // Go's time.ParseDuration refuses what does not fit an int64 of nanoseconds (~292 years).
    if (total > 9.2e18L)
        return Error(Errc::Invalid, "invalid duration \"" + s + "\": out of range");
    auto ns = static_cast<int64_t>(std::llround(total));
    return Duration{neg ? -ns : ns};
}

Result<UnitBytes> parse_bytes(const std::string& in)
{
    auto bad = [&] { return Error(Errc::Invalid, "invalid size \"" + in + "\""); };
    std::string s = in;
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
    size_t i = 0;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.'))
        ++i;
    std::string number = s.substr(0, i);
    if (i == 0 || number.find('.') != number.rfind('.') || number == ".")
        return bad();
    long double v = std::strtold(number.c_str(), nullptr);
    while (i < s.size() && s[i] == ' ')
        ++i;
    std::string unit = s.substr(i);
    for (auto& c : unit)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    long double mult = 1;
    if (!unit.empty()) {
        char p = unit[0];
        size_t rest = 1;
        switch (p) {
        case 'b': mult = 1; rest = 0; break;
        case 'k': mult = 1024.0L; break;
        case 'm': mult = 1024.0L * 1024; break;
        case 'g': mult = 1024.0L * 1024 * 1024; break;
        case 't': mult = 1024.0L * 1024 * 1024 * 1024; break;
        case 'p': mult = 1024.0L * 1024 * 1024 * 1024 * 1024; break;
        default: return bad();
        }
        std::string tail = unit.substr(rest);
        if (!(tail.empty() || tail == "b" || tail == "ib" || tail == "i"))
            return bad();
    }
    if (v * mult > 9.2e18L)
        return Error(Errc::Invalid, "invalid size \"" + in + "\": out of range");
    return static_cast<UnitBytes>(v * mult);
}

} // namespace wharf::compose::loader
