#include "compose/execute/condition.h"

namespace wharf::compose {

namespace {

using engine::ContainerStatus;

ConditionState one(WaitFor what, const engine::ContainerRecord& r)
{
    const auto& st = r.state;
    const std::string& name = r.config.name;
    bool exited = st.status == ContainerStatus::Exited || st.status == ContainerStatus::Dead;
    auto failed = [](std::string why) { return ConditionState{Verdict::Failed, std::move(why)}; };
    auto exit_text = [&] { return "container " + name + " exited (" + std::to_string(st.exit_code) + ")"; };
    switch (what) {
    case WaitFor::Started:
        if (st.status == ContainerStatus::Created)
            return {};
        if (st.status == ContainerStatus::Dead)
            return failed("container " + name + " is dead");
        return {Verdict::Met, ""};
    case WaitFor::Healthy:
        if (exited)
            return failed(exit_text());
        if (st.status == ContainerStatus::Created || st.status == ContainerStatus::Restarting)
            return {};
        if (st.health.status == "healthy")
            return {Verdict::Met, ""};
        if (st.health.status == "unhealthy")
            return failed("container " + name + " is unhealthy");
        if (st.health.status.empty())
            return failed("container " + name + " has no healthcheck configured");
        return {};
    case WaitFor::CompletedSuccessfully:
        if (!exited)
            return {};
        if (st.exit_code == 0)
            return {Verdict::Met, ""};
        return failed("container " + name + " didn't complete successfully: exit " + std::to_string(st.exit_code));
    case WaitFor::Ready:
        if (exited)
            return st.exit_code == 0 ? ConditionState{Verdict::Met, ""} : failed(exit_text());
        if (st.status != ContainerStatus::Running)
            return {};
        if (st.health.status == "unhealthy")
            return failed("container " + name + " is unhealthy");
        if (st.health.status.empty() || st.health.status == "healthy")
            return {Verdict::Met, ""};
        return {};
    }
    return {};
}

} // namespace

ConditionState evaluate(WaitFor what, const std::vector<engine::ContainerRecord>& containers)
{
    ConditionState all{Verdict::Met, ""};
    for (const auto& r : containers) {
        auto s = one(what, r);
        if (s.verdict == Verdict::Failed)
            return s;
        if (s.verdict == Verdict::Pending)
            all = s;
    }
    return all;
}

} // namespace wharf::compose
