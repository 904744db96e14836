// Progress lines of `compose up/down/…` (see compose_progress.h).
#include "tools/wharf/compose_progress.h"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sys/ioctl.h>
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


// The status word an event leaves its resource in ("" for none).
std::string status_of(const StepEvent& e)
{
    auto [doing, done] = words(*e.step);
    switch (e.kind) {
    case StepEvent::Kind::Began: return doing;
    case StepEvent::Kind::Done:
        // A replacement says so, and why (beyond docker compose's bare "Recreated").
        if (e.step->kind == StepKind::CreateContainer && e.step->cause.rfind("no container", 0) != 0)
            return "Recreated (" + e.step->cause + ")";
        if (e.step->kind == StepKind::CreateNetwork && e.step->cause != "network missing")
            return "Recreated (" + e.step->cause + ")";
        return done;
    case StepEvent::Kind::Failed: return "Error";
    case StepEvent::Kind::Warning: return "Warning";
    case StepEvent::Kind::Skipped: return "";
    }
    return "";
}

// Display width of UTF-8 text: one column per code point (the marks and spinner are one).
size_t width(const std::string& s)
{
    size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

std::string cut(const std::string& s, size_t columns)
{
    if (!columns || width(s) <= columns)
        return s;
    size_t n = 0, i = 0;
    for (; i < s.size(); ++i)
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && n++ == columns)
            break;
    return s.substr(0, i);
}

const char* const kSpinner[] = {"\xe2\xa0\x8b", "\xe2\xa0\x99", "\xe2\xa0\xb9", "\xe2\xa0\xb8", "\xe2\xa0\xbc",
                                "\xe2\xa0\xb4", "\xe2\xa0\xa6", "\xe2\xa0\xa7", "\xe2\xa0\x87", "\xe2\xa0\x8f"};
constexpr const char* kDone = "\xe2\x9c\x94";
constexpr const char* kFailed = "\xe2\x9c\x98";

int columns_of(int fd)
{
    winsize ws{};
    if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 0;
}

} // namespace

ProgressBoard::Row& ProgressBoard::row(const std::string& subject, TimePoint now)
{
    for (auto& r : m_rows)
        if (r.subject == subject)
            return r;
    if (m_rows.empty())
        m_start = now;
    m_rows.push_back(Row{subject, "", "", Row::Mark::Working, now, now});
    return m_rows.back();
}

void ProgressBoard::on_event(const StepEvent& e, TimePoint now)
{
    std::string status = status_of(e);
    if (status.empty())
        return;
    Row& r = row(progress_subject(*e.step), now);
    r.status = status;
    r.text = e.text;
    r.last = now;
    switch (e.kind) {
    case StepEvent::Kind::Began: r.mark = Row::Mark::Working; break;
    case StepEvent::Kind::Failed: r.mark = Row::Mark::Failed; break;
    case StepEvent::Kind::Warning: r.mark = Row::Mark::Warning; break;
    default: r.mark = Row::Mark::Done; break;
    }
}

std::vector<std::string> ProgressBoard::frame(TimePoint now, size_t columns) const
{
    using namespace std::chrono;
    // Columns as docker compose's: subjects, then statuses, then timers, each aligned.
    size_t finished = 0, subject = 0, status = 0;
    for (const auto& r : m_rows) {
        finished += r.mark != Row::Mark::Working;
        subject = std::max(subject, width(r.subject));
        status = std::max(status, width(r.status + (r.text.empty() ? "" : ": " + r.text)));
    }
    std::vector<std::string> out;
    out.push_back(cut("[+] Running " + std::to_string(finished) + "/" + std::to_string(m_rows.size()), columns));
    auto tick = static_cast<size_t>(duration_cast<milliseconds>(now - m_start).count() / 100);
    for (const auto& r : m_rows) {
        const char* mark = r.mark == Row::Mark::Done      ? kDone
                         : r.mark == Row::Mark::Failed    ? kFailed
                         : r.mark == Row::Mark::Warning   ? "!"
                                                          : kSpinner[tick % 10];
        std::string st = r.status + (r.text.empty() ? "" : ": " + r.text);
        auto end = r.mark == Row::Mark::Working ? now : r.last;
        char timer[32];
        std::snprintf(timer, sizeof timer, "%.1fs", duration<double>(end - r.first).count());
        std::string line = " " + std::string(mark) + " " + r.subject + std::string(subject - width(r.subject) + 2, ' ') +
                           st + std::string(status - width(st) + 2, ' ') + timer;
        out.push_back(cut(line, columns));
    }
    return out;
}

Progress::Progress(ComposeProgress mode) : m_mode(mode)
{
    if (m_mode == ComposeProgress::Tty)
        m_ticker = std::thread([this] { tick(); });
}

Progress::~Progress()
{
    if (!m_ticker.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        if (!m_board.empty())
            draw_locked();
    }
    m_wake.notify_all();
    m_ticker.join();
}

void Progress::tick()
{
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        m_wake.wait_for(lock, std::chrono::milliseconds(100));
        if (!m_stop && !m_board.empty())
            draw_locked();
    }
}

void Progress::draw_locked()
{
    // Back to the first line of the last frame, then every line cleared and rewritten: the
    // board only grows, so nothing below needs erasing.
    std::string out;
    if (m_drawn)
        out += "\r\x1b[" + std::to_string(m_drawn) + "A";
    int cols = columns_of(2);
    auto lines = m_board.frame(std::chrono::steady_clock::now(), cols > 1 ? static_cast<size_t>(cols - 1) : 0);
    for (const auto& l : lines)
        out += "\x1b[2K" + l + "\n";
    m_drawn = lines.size();
    std::cerr << out << std::flush;
}

void Progress::on_event(const StepEvent& e)
{
    if (m_mode == ComposeProgress::Quiet)
        return;
    if (m_mode == ComposeProgress::Tty) {
        std::lock_guard lock(m_mutex);
        m_board.on_event(e, std::chrono::steady_clock::now());
        draw_locked();
        return;
    }
    std::string status = status_of(e);
    if (status.empty())
        return;
    std::string subject = progress_subject(*e.step);
    if (m_mode == ComposeProgress::Json) {
        nlohmann::ordered_json j{{"id", subject}, {"status", status}};
        if (!e.text.empty())
            j["text"] = e.text;
        std::cerr << j.dump() << "\n";
        return;
    }
    std::string line = " " + subject + "  " + status;
    if (!e.text.empty())
        line += ": " + e.text;
    std::cerr << line << std::endl;
}

void Progress::note(const std::string& text)
{
    if (m_mode == ComposeProgress::Json) {
        std::cerr << nlohmann::ordered_json{{"text", text}}.dump() << "\n";
    } else if (m_mode == ComposeProgress::Tty) {
        std::lock_guard lock(m_mutex);
        // Above the board: erase it, print, draw it again below.
        std::string out;
        if (m_drawn)
            out += "\r\x1b[" + std::to_string(m_drawn) + "A\x1b[J";
        std::cerr << out << text << "\n";
        m_drawn = 0;
        if (!m_board.empty())
            draw_locked();
        std::cerr << std::flush;
    } else if (m_mode != ComposeProgress::Quiet) {
        std::cerr << text << std::endl;
    }
}

} // namespace wharf::cli
