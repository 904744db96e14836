#pragma once
/// The executor: walks a Plan the way ninja's builder walks its graph. One loop thread
/// keeps a ready queue of steps whose `after` steps are done; engine steps run on at most
/// `parallelism` worker threads; Wait steps are polled by the loop itself (they hold no
/// worker), against the containers' records (condition.h). On the first failure nothing
/// new is started, running steps finish, the rest are skipped, and the error names the
/// service and step that failed. A plan that can make no progress is reported as
/// "stuck [this is a bug]". It makes no decision of its own: everything is in the plan.
///
/// Time comes from the injected Clock (poll intervals, --wait-timeout), so tests run on a
/// fake clock; events are delivered on the loop thread, in order.

#include "compose/execute/engine.h"

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace wharf::compose {

class Clock {
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    virtual ~Clock() = default;
    virtual TimePoint now() = 0;
    virtual void sleep(std::chrono::milliseconds d) = 0;
};

/// The machine's steady clock (the CLI's; compose/ itself never reads the time).
Clock& system_clock();

struct StepEvent {
    enum class Kind { Began, Done, Failed, Skipped, Warning };
    const Step* step = nullptr;
    Kind kind = Kind::Began;
    std::string text; ///< failure reason or warning
};

struct ExecuteOptions {
    std::string project;                     ///< label value used to find a service's containers
    int parallelism = 8;
    std::chrono::milliseconds poll_interval{50};
    /// Deadline for Ready waits (`--wait-timeout`); depends_on waits wait as long as it takes
    /// (a failing healthcheck ends them by turning unhealthy).
    std::optional<std::chrono::milliseconds> wait_timeout;
    std::function<void(const StepEvent&)> on_event;
};

/// Runs the plan. Error: the first failure, `service "web": <engine error>`.
Result<void> execute(const Plan& plan, ComposeEngine& engine, Clock& clock, const ExecuteOptions& options);

} // namespace wharf::compose
