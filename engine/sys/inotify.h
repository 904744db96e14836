#pragma once
/// Inotify: one inotify(7) instance watching paths, used as a wake-up ("something in this
/// directory changed"), not as a change log: callers re-read what they watch after waking.

#include "engine/base/result.h"
#include "engine/sys/fd.h"

#include <cstdint>
#include <string>

namespace wharf::sys {

class Inotify {
public:
    static Result<Inotify> create();
    /// inotify_add_watch(2) on `path` for `mask` (IN_MODIFY | IN_CREATE …).
    Result<void> watch(const std::string& path, uint32_t mask);
    /// Waits up to `timeout_ms` (-1: forever) for an event and drains every queued one.
    /// True when something happened, false on timeout.
    Result<bool> wait(int timeout_ms);

private:
    explicit Inotify(UniqueFd fd) : m_fd(std::move(fd)) {}
    UniqueFd m_fd;
};

} // namespace wharf::sys
