// Canonical text of model vocabulary types and small derived queries.
#include "compose/model/project.h"

#include <algorithm>
#include <set>

namespace wharf::compose {

namespace {

// Go's fmtFrac/fmtInt: v as "<int>[.<frac>]" with trailing zeros of the fraction dropped.
std::string fixed_point(uint64_t v, int prec)
{
    std::string frac;
    bool printed = false;
    for (int i = 0; i < prec; ++i) {
        int digit = static_cast<int>(v % 10);
        printed = printed || digit != 0;
        if (printed)
            frac.insert(frac.begin(), static_cast<char>('0' + digit));
        v /= 10;
    }
    std::string out = std::to_string(v);
    if (!frac.empty())
        out += "." + frac;
    return out;
}

} // namespace

std::string Duration::to_string() const
{
    // Same text as Go's time.Duration.String(), which is what docker compose prints.
    if (nanoseconds == 0)
        return "0s";
    bool neg = nanoseconds < 0;
    uint64_t u = neg ? static_cast<uint64_t>(-(nanoseconds + 1)) + 1 : static_cast<uint64_t>(nanoseconds);
    std::string out;
    if (u < 1000000000ULL) {
        if (u < 1000ULL)
            out = std::to_string(u) + "ns";
        else if (u < 1000000ULL)
            out = fixed_point(u, 3) + "µs";
        else
            out = fixed_point(u, 6) + "ms";
    } else {
        uint64_t secs_ns = u % 60000000000ULL;
        uint64_t mins = u / 60000000000ULL;
        out = fixed_point(secs_ns, 9) + "s";
        if (mins > 0) {
            uint64_t hours = mins / 60;
            out = std::to_string(mins % 60) + "m" + out;
            if (hours > 0)
                out = std::to_string(hours) + "h" + out;
        }
    }
    return neg ? "-" + out : out;
}

const char* to_string(VolumeType t)
{
    switch (t) {
    case VolumeType::Bind: return "bind";
    case VolumeType::Volume: return "volume";
    case VolumeType::Tmpfs: return "tmpfs";
    case VolumeType::Npipe: return "npipe";
    case VolumeType::Cluster: return "cluster";
    case VolumeType::Image: return "image";
    }
    return "volume";
}

std::optional<VolumeType> parse_volume_type(const std::string& s)
{
    for (auto t : {VolumeType::Bind, VolumeType::Volume, VolumeType::Tmpfs, VolumeType::Npipe,
             VolumeType::Cluster, VolumeType::Image})
        if (s == to_string(t))
            return t;
    return std::nullopt;
}

const char* to_string(ServiceCondition c)
{
    switch (c) {
    case ServiceCondition::Started: return "service_started";
    case ServiceCondition::Healthy: return "service_healthy";
    case ServiceCondition::CompletedSuccessfully: return "service_completed_successfully";
    }
    return "service_started";
}

std::optional<ServiceCondition> parse_service_condition(const std::string& s)
{
    for (auto c : {ServiceCondition::Started, ServiceCondition::Healthy, ServiceCondition::CompletedSuccessfully})
        if (s == to_string(c))
            return c;
    return std::nullopt;
}

int64_t ServiceConfig::replica_count() const
{
    if (deploy && deploy->replicas)
        return *deploy->replicas;
    if (scale)
        return *scale;
    return 1;
}

std::string ServiceConfig::image_name(const std::string& project_name) const
{
    if (!image.empty())
        return image;
    return project_name + "-" + name;
}

std::vector<std::string> Project::service_names() const
{
    std::vector<std::string> out;
    for (const auto& [k, _] : services)
        out.push_back(k);
    return out;
}

std::vector<std::string> Project::all_profiles() const
{
    std::set<std::string> s;
    for (const auto* m : {&services, &disabled_services})
        for (const auto& [_, svc] : *m)
            s.insert(svc.profiles.begin(), svc.profiles.end());
    return {s.begin(), s.end()};
}

const ServiceConfig* Project::find_service(const std::string& name) const
{
    auto it = services.find(name);
    return it == services.end() ? nullptr : &it->second;
}

} // namespace wharf::compose
