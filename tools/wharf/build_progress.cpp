// BuildKit-like progress for builds (see build_progress.h).
#include "tools/wharf/build_progress.h"

#include <cstdio>
#include <unistd.h>

namespace wharf::cli {
namespace {

constexpr size_t kLogLines = 200;
constexpr size_t kWindowLines = 6;

std::string seconds_text(double s)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1fs", s);
    return buf;
}

std::string one_line(std::string s)
{
    for (auto& c : s)
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
    return s;
}

} // namespace

Result<ProgressMode> parse_progress_mode(const std::string& text, int fd)
{
    if (text == "auto" || text.empty())
        return ::isatty(fd) ? ProgressMode::Tty : ProgressMode::Plain;
    if (text == "plain")
        return ProgressMode::Plain;
    if (text == "tty")
        return ProgressMode::Tty;
    if (text == "quiet")
        return ProgressMode::Quiet;
    return Error(
        Errc::Invalid, "invalid progress mode \"" + text + "\" (expected auto, plain, tty or quiet)");
}

BuildProgressPrinter::BuildProgressPrinter(std::ostream& out, ProgressMode mode, int columns)
    : m_out(out)
    , m_mode(mode)
    , m_columns(columns < 40 ? 40 : columns)
    , m_build_started(std::chrono::steady_clock::now())
{
}

void BuildProgressPrinter::vertex(const std::string& name)
{
    ++m_vertex;
    m_name = one_line(name);
    m_partial.clear();
    m_log.clear();
    m_window.clear();
    m_shown = 0;
    m_cached = false;
    m_started = std::chrono::steady_clock::now();
    if (m_mode == ProgressMode::Plain)
        m_out << (m_vertex > 1 ? "\n" : "") << prefix() << m_name << "\n";
    else if (m_mode == ProgressMode::Tty)
        m_out << " => " << m_name.substr(0, static_cast<size_t>(m_columns) - 4) << "\n";
    m_out.flush();
}

void BuildProgressPrinter::tty_finish_line(const std::string& name, double seconds, bool cached)
{
    // Erase the header and the output window of the step, then print its final line.
    m_out << "\033[" << (m_shown + 1) << "A\r\033[J";
    std::string text = " => " + std::string(cached ? "CACHED " : "") + name;
    std::string time = seconds_text(seconds);
    size_t width = static_cast<size_t>(m_columns);
    if (text.size() + time.size() + 1 > width)
        text = text.substr(0, width - time.size() - 2) + "…";
    m_out << text
          << std::string(width > text.size() + time.size() ? width - text.size() - time.size() : 1, ' ')
          << time << "\n";
    m_shown = 0;
    m_window.clear();
    m_out.flush();
}

void BuildProgressPrinter::begin(const std::string& dockerfile_name)
{
    vertex("[internal] load build definition from " + dockerfile_name);
    if (m_mode == ProgressMode::Plain)
        m_out << prefix() << "DONE 0.0s\n";
    else if (m_mode == ProgressMode::Tty)
        tty_finish_line(m_name, 0.0, false);
}

void BuildProgressPrinter::step_started(const engine::build::StepInfo& info)
{
    vertex(info.label() + " " + info.text);
}

void BuildProgressPrinter::step_cached(const engine::build::StepInfo&)
{
    m_cached = true;
}

void BuildProgressPrinter::step_done(const engine::build::StepInfo&, const std::string&, double seconds)
{
    if (!m_partial.empty())
        flush_line(std::exchange(m_partial, {}));
    if (m_mode == ProgressMode::Plain)
        m_out << prefix() << (m_cached ? std::string("CACHED") : "DONE " + seconds_text(seconds)) << "\n";
    else if (m_mode == ProgressMode::Tty)
        tty_finish_line(m_name, seconds, m_cached);
    m_out.flush();
}

void BuildProgressPrinter::flush_line(const std::string& line)
{
    m_log.push_back(line);
    if (m_log.size() > kLogLines)
        m_log.pop_front();
    double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
    if (m_mode == ProgressMode::Plain) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.3f ", t);
        m_out << prefix() << buf << line << "\n";
    } else if (m_mode == ProgressMode::Tty) {
        m_window.push_back(line);
        if (m_window.size() > kWindowLines)
            m_window.pop_front();
        tty_redraw_window();
    }
}

void BuildProgressPrinter::tty_redraw_window()
{
    if (m_shown > 0)
        m_out << "\033[" << m_shown << "A\r\033[J";
    size_t width = static_cast<size_t>(m_columns);
    for (const auto& l : m_window) {
        std::string text = " => => # " + l;
        if (text.size() > width)
            text = text.substr(0, width);
        m_out << "\033[2m" << text << "\033[0m\n";
    }
    m_shown = static_cast<int>(m_window.size());
}

void BuildProgressPrinter::output(std::string_view chunk)
{
    m_partial.append(chunk);
    size_t nl;
    while ((nl = m_partial.find('\n')) != std::string::npos) {
        std::string line = m_partial.substr(0, nl);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        m_partial.erase(0, nl + 1);
        flush_line(line);
    }
    m_out.flush();
}

void BuildProgressPrinter::message(const std::string& text)
{
    if (m_mode == ProgressMode::Quiet)
        return;
    m_out << text << "\n";
    if (m_mode == ProgressMode::Tty)
        m_shown = 0; // the message stays; the window restarts below it
    m_out.flush();
}

void BuildProgressPrinter::finished(const std::string& image_id, const std::vector<std::string>& tags)
{
    if (m_mode == ProgressMode::Quiet)
        return;
    vertex("exporting to image");
    auto t0 = m_started;
    if (m_mode == ProgressMode::Plain) {
        m_out << prefix() << "writing image " << image_id << " done\n";
        for (const auto& t : tags)
            m_out << prefix() << "naming to " << t << " done\n";
        m_out << prefix() << "DONE "
              << seconds_text(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count())
              << "\n";
    } else {
        tty_finish_line(m_name, 0.0, false);
        m_out << " => => writing image " << image_id << "\n";
        for (const auto& t : tags)
            m_out << " => => naming to " << t << "\n";
        double total
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_build_started).count();
        m_out << "[+] Building " << seconds_text(total) << " FINISHED\n";
    }
    m_out.flush();
}

void BuildProgressPrinter::fail_step(const Error& error)
{
    if (!m_partial.empty())
        flush_line(std::exchange(m_partial, {}));
    if (m_mode == ProgressMode::Plain) {
        m_out << prefix() << "ERROR: " << error.message() << "\n";
    } else if (!m_log.empty() || m_mode == ProgressMode::Tty) {
        // The streamed window is not enough to see why: the whole (recent) log, boxed.
        if (m_mode == ProgressMode::Tty)
            m_out << " => ERROR " << m_name << "\n";
        m_out << "------\n > " << m_name << ":\n";
        for (const auto& l : m_log)
            m_out << l << "\n";
        m_out << "------\n";
    }
    m_out.flush();
}

} // namespace wharf::cli
