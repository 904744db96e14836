#pragma once
/// Selecting events as `docker events` does: `--filter key=value` terms (the same key given
/// twice matches either value, different keys must all match) and `--since`/`--until`
/// times. Pure.
///
///   container=ID-prefix|name-prefix   event=ACTION ("health_status" also matches
///   "health_status: healthy")         image=NAME[:TAG]   label=KEY or KEY=VALUE
///   type=container|image|network|volume
///   network=ID-prefix|name            volume=name
/// container= also selects a network's connect/disconnect by the container they name.

#include "engine/events/event_journal.h"

#include <map>
#include <string>
#include <vector>

namespace wharf::engine {

struct EventFilter {
    std::map<std::string, std::vector<std::string>> terms;
};

/// Invalid with Docker's texts: "bad format of filter (expected name=value)",
/// "invalid filter 'x'".
Result<void> add_event_filter(EventFilter& filter, const std::string& text);
bool event_matches(const EventFilter& filter, const Event& event);

/// A `--since`/`--until` value as Unix nanoseconds: Unix seconds with optional fraction
/// ("1700000000.5"), RFC 3339 ("2024-01-01T10:00:00Z", "…+02:00"; no zone = UTC), a date
/// ("2024-01-01"), or a Go duration counted back from `now_nano` ("10m", "1h30m").
/// Invalid otherwise, naming the value.
Result<int64_t> parse_event_time(const std::string& text, int64_t now_nano);

} // namespace wharf::engine
