#pragma once
/// HealthConfig: a healthcheck as images (`HEALTHCHECK`) and containers (`--health-*`,
/// Compose `healthcheck:`) carry it. Durations in nanoseconds; 0 means the default
/// (interval 30 s, timeout 30 s, start interval 5 s, retries 3). Values only.

#include <cstdint>
#include <string>
#include <vector>

namespace wharf::engine {

struct HealthConfig {
    /// [] inherit, ["NONE"], ["CMD", args…], ["CMD-SHELL", command]
    std::vector<std::string> test;
    int64_t interval_ns = 0;
    int64_t timeout_ns = 0;
    int64_t start_period_ns = 0;
    int64_t start_interval_ns = 0;
    int retries = 0;
    friend bool operator==(const HealthConfig&, const HealthConfig&) = default;
};

} // namespace wharf::engine
