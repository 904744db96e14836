// Progress lines of `compose up/down/…` (see compose_progress.h).
#include "tools/wharf/compose_progress.h"

#include <iostream>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace wharf::cli {

using compose::StepEvent;
using compose::StepKind;

ComposeProgress progress_mode(const std::string& flag)
{
    if (flag == "plain")
        return ComposeProgress::Plain;
    if (flag == "json")
        return ComposeProgress::Json;
    if (flag == "quiet")
        return ComposeProgress::Quiet;
    if (flag == "tty")
        return ComposeProgress::Tty;
    return ::isatty(2) ? ComposeProgress::Tty : ComposeProgress::Plain;
}

std::string progress_subject(const compose::Step& s)
{
    switch (s.kind) {
    case StepKind::CreateNetwork:
    case StepKind::RemoveNetwork: return "Network " + s.target;
    case StepKind::CreateVolume:
    case StepKind::RemoveVolume: return "Volume " + s.target;
    case StepKind::Wait: return "Service " + s.target;
    default: return "Container " + s.target;
    }
}

namespace {

// {doing, done} words per step kind.
std::pair<std::string, std::string> words(const compose::Step& s)
{
    switch (s.kind) {
    case StepKind::CreateNetwork:
    case StepKind::CreateVolume:
    case StepKind::CreateContainer: return {"Creating", "Created"};
    case StepKind::StartContainer: return {"Starting", "Started"};
    case StepKind::StopContainer: return {"Stopping", "Stopped"};
    case StepKind::RemoveContainer:
    case StepKind::RemoveNetwork:
    case StepKind::RemoveVolume: return {"Removing", "Removed"};
    case StepKind::Wait:
        switch (s.wait) {
        case compose::WaitFor::Healthy: return {"Waiting", "Healthy"};
        case compose::WaitFor::CompletedSuccessfully: return {"Waiting", "Exited"};
        case compose::WaitFor::Ready: return {"Waiting", "Ready"};
        case compose::WaitFor::Started: return {"Waiting", "Started"};
        }
    }
    return {"", ""};
}

} // namespace

void Progress::on_event(const StepEvent& e)
{
    if (m_mode == ComposeProgress::Quiet)
        return;
    auto [doing, done] = words(*e.step);
    std::string status;
    switch (e.kind) {
    case StepEvent::Kind::Began:
        if (m_mode == ComposeProgress::Tty)
            return;
        status = doing;
        break;
    case StepEvent::Kind::Done:
        status = done;
        // A replacement says so, and why (beyond docker compose's bare "Recreated").
        if (e.step->kind == StepKind::CreateContainer && e.step->cause.rfind("no container", 0) != 0)
            status = "Recreated (" + e.step->cause + ")";
        break;
    case StepEvent::Kind::Failed: status = "Error"; break;
    case StepEvent::Kind::Warning: status = "Warning"; break;
    case StepEvent::Kind::Skipped: return;
    }
    std::string subject = progress_subject(*e.step);
    if (m_mode == ComposeProgress::Json) {
        nlohmann::ordered_json j{{"id", subject}, {"status", status}};
        if (!e.text.empty())
            j["text"] = e.text;
        std::cerr << j.dump() << "\n";
        return;
    }
    std::string line = " ";
    if (m_mode == ComposeProgress::Tty)
        line += e.kind == StepEvent::Kind::Failed ? "\xe2\x9c\x98 " : e.kind == StepEvent::Kind::Warning ? "! " : "\xe2\x9c\x94 ";
    line += subject + "  " + status;
    if (!e.text.empty())
        line += ": " + e.text;
    std::cerr << line << std::endl;
}

void Progress::note(const std::string& text)
{
    if (m_mode == ComposeProgress::Json)
        std::cerr << nlohmann::ordered_json{{"text", text}}.dump() << "\n";
    else if (m_mode != ComposeProgress::Quiet)
        std::cerr << text << std::endl;
}

} // namespace wharf::cli
