#pragma once
/// Container lifecycle events for the journal (engine/events/event_journal.h), with the
/// attributes Docker gives them: the container's labels, `image` (as the user named it) and
/// `name`, plus the action's extras (`exitCode` for die, `signal` for kill).
///
/// Who emits what: ContainerEngine — create, kill, stop, pause, unpause, destroy; the
/// monitor — start (every start, restarts included), die, health_status, destroy (--rm).

#include "engine/api/container.h"
#include "engine/events/event_journal.h"

#include <map>
#include <string>

namespace wharf::engine {

Event container_event(const ContainerRecord& record, const std::string& action,
                      const std::map<std::string, std::string>& extra = {});

/// Appends container_event(...) to the journal under `root`; best effort (never fails).
void emit_container_event(const std::string& root, const ContainerRecord& record, const std::string& action,
                          const std::map<std::string, std::string>& extra = {}) noexcept;

} // namespace wharf::engine
