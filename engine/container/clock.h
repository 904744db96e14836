#pragma once
/// Timestamps as Docker writes them: RFC 3339 in UTC with nanoseconds, trailing zeros of the
/// fraction trimmed (Go's RFC3339Nano): "2026-12-03T19:34:19.5Z".

#include <chrono>
#include <optional>
#include <string>

namespace wharf::engine {

using SystemTime = std::chrono::system_clock::time_point;

std::string format_rfc3339nano(SystemTime t);
std::string now_rfc3339nano();
/// Parses what format_rfc3339nano writes (and offsets like +02:00); nullopt when malformed.
std::optional<SystemTime> parse_rfc3339(const std::string& text);
/// Docker's human durations: "Less than a second", "5 seconds", "About a minute", "2 hours"…
std::string human_duration(std::chrono::nanoseconds d);
/// Parses Go durations ("1m30s", "500ms", "10s") into nanoseconds; nullopt when malformed.
std::optional<int64_t> parse_go_duration(const std::string& text);

} // namespace wharf::engine
