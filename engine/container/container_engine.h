#pragma once
/// ContainerEngine: the library API over containers (what the CLI verbs and Compose call).
///
///   create   validates mounts (bind sources, volume names), makes volumes, writes the record
///   start    launches the container's monitor (`wharf-monitor <root> <id>`, detached in its
///            own session) and waits until the init runs or failed
///   stop     stop signal, grace period, SIGKILL — and no waiting at all when PID 1 has no
///            handler for the stop signal (it would ignore it: pid_namespaces(7))
///   kill, remove, list (label/name/id/status filters), inspect, wait
///
/// Every call first repairs containers whose monitor died (SIGKILLed, host crash): their
/// init is killed, their cgroup removed, their state recorded as exited. Mounts cannot leak:
/// the rootfs and all container mounts exist only in the container's own mount namespace.
/// Single-threaded use; concurrent processes are serialised by the store's lock files.

#include "engine/container/container_store.h"
#include "engine/container/create_request.h"
#include "engine/sys/fd.h"
#include "engine/volume/volume_store.h"

#include <optional>
#include <string>
#include <vector>

namespace wharf::engine {

struct EngineOptions {
    std::string root = "/var/lib/wharf";
    /// The wharf binary; "" = this process's executable. Monitors run `wharf-monitor`
    /// from the same directory (tools/wharf-monitor).
    std::string wharf_binary;
};

struct ListFilter {
    bool all = false;                            ///< include stopped containers
    std::vector<std::string> labels;             ///< "key" or "key=value"; all must match
    std::vector<std::string> names;              ///< substring of the name
    std::vector<std::string> ids;                ///< ID prefix
    std::vector<std::string> statuses;           ///< created, running, exited, …
};

/// Parses a `--filter key=value` into `filter`; Invalid for unknown keys.
Result<void> add_filter(ListFilter& filter, const std::string& text);

struct StartOptions {
    /// Attached: the monitor copies output to these fds and reports the exit code later.
    bool attach = false;
    int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;
};

/// A started container; for attached starts, `status` still delivers the final "X <code>".
struct Started {
    pid_t pid = 0;
    sys::UniqueFd status;
};

class ContainerEngine {
public:
    static Result<ContainerEngine> open(const EngineOptions& options);

    Result<ContainerRecord> create(CreateRequest request);
    Result<Started> start(const std::string& name_or_id, const StartOptions& options = {});
    /// Attached run: waits for the final status, forwarding SIGINT/SIGTERM/SIGHUP/SIGQUIT to
    /// the container (Docker's --sig-proxy); returns the container's exit code.
    Result<int> wait_attached(const std::string& id, Started& started);
    /// `timeout` seconds (unset: the container's StopTimeout or 10; -1: forever).
    Result<void> stop(const std::string& name_or_id, std::optional<int> timeout = {},
                      const std::string& signal = {});
    Result<void> kill(const std::string& name_or_id, const std::string& signal = "SIGKILL");
    Result<void> remove(const std::string& name_or_id, bool force = false, bool volumes = false);
    Result<ContainerRecord> inspect(const std::string& name_or_id);
    std::vector<ContainerRecord> list(const ListFilter& filter = {});
    /// Blocks until the container is not running; returns its exit code.
    Result<int> wait(const std::string& name_or_id);
    Result<std::string> resolve(const std::string& name_or_id) const { return m_store.resolve(name_or_id); }

    /// Containers (any state) that use volume `name`.
    std::vector<std::string> volume_users(const std::string& name);

    const ContainerStore& store() const { return m_store; }
    VolumeStore& volumes() { return m_volumes; }
    const EngineOptions& options() const { return m_options; }

private:
    ContainerEngine(EngineOptions o, ContainerStore s, VolumeStore v)
        : m_options(std::move(o)), m_store(std::move(s)), m_volumes(std::move(v))
    {
    }
    /// Fixes a record whose monitor is gone; returns the (possibly updated) record.
    ContainerRecord repair(ContainerRecord record);
    Result<void> wait_monitor_exit(const ContainerRecord& record, int timeout_ms);
    /// `wharf-monitor` beside the wharf binary.
    std::string monitor_binary() const;

    EngineOptions m_options;
    ContainerStore m_store;
    VolumeStore m_volumes;
};

/// Whether a record counts as running for ps/stop/rm (running or restarting).
bool is_active(const ContainerRecord& record);

} // namespace wharf::engine
