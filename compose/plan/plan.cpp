#include "compose/plan/plan.h"

namespace wharf::compose {

const char* to_string(WaitFor w)
{
    switch (w) {
    case WaitFor::Started: return "started";
    case WaitFor::Healthy: return "healthy";
    case WaitFor::CompletedSuccessfully: return "completed successfully";
    case WaitFor::Ready: return "ready";
    }
    return "?";
}

size_t Plan::add(Step step)
{
    step.id = steps.size() + 1;
    steps.push_back(std::move(step));
    return steps.size();
}

std::string describe(const Step& s)
{
    switch (s.kind) {
    case StepKind::CreateNetwork: return "create network " + s.target;
    case StepKind::CreateVolume: return "create volume " + s.target;
    case StepKind::CreateContainer: return "create container " + s.target;
    case StepKind::StartContainer: return "start container " + s.target;
    case StepKind::StopContainer: return "stop container " + s.target;
    case StepKind::RemoveContainer:
        return "remove container " + s.target + (s.remove_volumes ? " with its anonymous volumes" : "");
    case StepKind::RemoveNetwork: return "remove network " + s.target;
    case StepKind::RemoveVolume: return "remove volume " + s.target;
    case StepKind::Wait:
        return "wait for " + s.target + " " + to_string(s.wait) + (s.required ? "" : " (optional)");
    }
    return "?";
}

std::string Plan::to_string() const
{
    std::string out;
    for (const auto& s : steps) {
        out += std::to_string(s.id) + ". " + describe(s);
        if (!s.after.empty()) {
            out += " (after ";
            for (size_t i = 0; i < s.after.size(); ++i)
                out += (i ? ", " : "") + std::to_string(s.after[i]);
            out += ")";
        }
        out += ": " + s.cause + "\n";
    }
    for (const auto& w : warnings)
        out += "warning: " + w + "\n";
    return out;
}

} // namespace wharf::compose
