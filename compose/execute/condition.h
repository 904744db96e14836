#pragma once
/// The one readiness model: whether the containers of a service meet a WaitFor, from their
/// records alone (status, exit code, health). Used by the executor for depends_on
/// conditions and `up --wait`; one-shot services that exited 0 count as done. Pure.

#include "compose/plan/plan.h"
#include "engine/api/container.h"

#include <string>
#include <vector>

namespace wharf::compose {

enum class Verdict { Pending, Met, Failed };

struct ConditionState {
    Verdict verdict = Verdict::Pending;
    std::string reason; ///< for Failed: "container shop-db-1 is unhealthy"
};

/// All containers must meet `what`; any failing one fails it. No containers: Met.
ConditionState evaluate(WaitFor what, const std::vector<engine::ContainerRecord>& containers);

} // namespace wharf::compose
