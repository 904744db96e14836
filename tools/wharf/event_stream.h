#pragma once
/// Reading the event journal (engine/events/event_journal.h) for `events` and
/// `compose events`: the time window, the follow loop, and the three ways events are
/// printed. The line formats are pure.

#include "engine/events/event_journal.h"

#include <functional>
#include <optional>
#include <string>

namespace wharf::cli {

struct EventWindow {
    std::optional<int64_t> since; ///< Unix ns; set: replay the journal from there first
    std::optional<int64_t> until; ///< Unix ns; set: stop once the clock passes it
};

/// Calls `emit` for every event inside the window, oldest first, following the journal as
/// it grows; returns when `until` has passed (never without it) or `emit` returns false.
Result<void> follow_events(const std::string& root, const EventWindow& window,
                           const std::function<bool(const engine::Event&)>& emit);

/// `docker events`' line: "2024-01-01T10:00:00.000000000Z container start ID (k=v, k=v)",
/// the time in the local zone (Go's "2006-01-02T15:04:05.000000000Z07:00"), attributes sorted.
std::string docker_event_line(const engine::Event& event);
/// `docker compose events`' line: "2024-01-01 10:00:00.000000 container start ID (k=v, …)",
/// without the compose labels (com.docker.compose.*, dev.wharf.compose.*), as the JSON.
std::string compose_event_line(const engine::Event& event);
/// `docker compose events --json`'s object: {"action","attributes","id","service","time",
/// "type"}, time as Go marshals it (RFC 3339 with trimmed nanoseconds, local zone).
std::string compose_event_json(const engine::Event& event, const std::string& service);

} // namespace wharf::cli
