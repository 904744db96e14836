#pragma once
/// The event journal: wharf's stand-in for the Docker daemon's event stream. wharf has no
/// daemon, so every process that changes a container (the CLI for create, stop, kill,
/// pause, rm; the monitor for start, die, health_status, --rm), a network (create, connect,
/// disconnect, destroy: NetworkStore) or a volume (create, destroy: VolumeStore) appends one
/// record per event to a JSON-lines file, and `events` follows that file.
///
///   <root>/events/events.jsonl     current generation, one Docker events.Message per line
///   <root>/events/events.jsonl.1   the previous generation (rotated away when the current
///                                  one passed `max_bytes`; the older one is dropped)
///   <root>/events/lock             serialises rotation
///
/// Writers open with O_APPEND and emit each record with one write(2) (Linux appends a
/// regular-file write atomically under the inode lock), so concurrent writers never
/// interleave. A torn last line (a writer killed mid-write) is skipped by readers.
/// Not thread-safe per object; safe across processes.

#include "engine/base/result.h"
#include "engine/sys/fd.h"
#include "engine/sys/inotify.h"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace wharf::engine {

/// One event, as Docker's events.Message: `type` "container", `action` "start",
/// "die", "health_status: healthy"…, the actor's ID and attributes (a container's labels
/// plus image, name and per-action extras such as exitCode or signal).
struct Event {
    std::string type = "container";
    std::string action;
    std::string id;
    std::map<std::string, std::string> attributes;
    int64_t time_nano = 0; ///< Unix time in nanoseconds
    bool operator==(const Event&) const = default;
};

/// Docker's JSON for the event (`docker events --format '{{json .}}'`): status/id/from
/// (legacy, container events only), Type, Action, Actor{ID, Attributes}, scope, time,
/// timeNano. One line, no newline.
std::string encode_event(const Event& event);
/// Back from encode_event(); nullopt for a malformed or torn line.
std::optional<Event> decode_event(std::string_view line);
/// The current time as Unix nanoseconds.
int64_t unix_nanos_now();

class EventJournal {
public:
    static constexpr uint64_t kDefaultMaxBytes = 8 << 20;
    /// A journal under `root` (the directory is made on first append).
    explicit EventJournal(std::string root, uint64_t max_bytes = kDefaultMaxBytes);

    const std::string& path() const { return m_path; }
    std::string rotated_path() const { return m_path + ".1"; }

    /// Appends one record (time_nano 0 = now); first rotates the file when the record would
    /// take it past max_bytes. Errors name the file.
    Result<void> append(Event event) const;
    /// Every readable record, oldest first (the rotated generation, then the current one).
    std::vector<Event> read_all() const;

private:
    std::string m_dir, m_path;
    uint64_t m_max_bytes;
};

/// Best-effort append for lifecycle code: the action already happened, so a journal that
/// cannot be written (full disk, read-only root) must not turn it into a failure.
void record_event(const std::string& root, Event event) noexcept;

/// Follows a journal like `tail -F`: new complete lines as they are appended, across
/// rotations, woken by inotify (with a 1 s re-check as a safety net).
class EventFollower {
public:
    enum class From { End, Oldest };
    /// From::End sees only records appended after open(); From::Oldest replays the rotated
    /// and current generations first.
    static Result<EventFollower> open(const std::string& root, From from);
    /// The records that arrived since the last call, waiting up to `timeout_ms` (-1: for
    /// ever) for the first one; empty when the time ran out.
    Result<std::vector<Event>> next(int timeout_ms);

private:
    EventFollower(EventJournal journal, sys::Inotify notify) : m_journal(std::move(journal)), m_notify(std::move(notify)) {}
    Result<void> reopen(bool at_end);
    void drain(std::vector<Event>& out);

    EventJournal m_journal;
    sys::Inotify m_notify;
    sys::UniqueFd m_fd;
    ino_t m_ino = 0;
    std::string m_partial;
    std::deque<Event> m_replay;
};

} // namespace wharf::engine
