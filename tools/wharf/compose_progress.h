#pragma once
/// Progress of `compose up/down/…` as docker compose shows it, on stderr (stdout stays for
/// data):
///   tty:    a live board, one line per resource, redrawn in place (ANSI cursor-up) every
///           100 ms while the executor works, collapsing to its final lines at the end:
///             [+] Running 2/3
///              ✔ Network shop_default   Created    0.1s
///              ⠹ Container shop-db-1    Starting   0.4s
///   plain:  " Container shop-web-1  Starting" then " Container shop-web-1  Started"
///   json:   {"id":"Container shop-web-1","status":"Started"} per line
///   quiet:  nothing
/// The board (ProgressBoard) is pure — events and times in, frame text out — so its layout
/// is unit-tested on a fake clock; Progress is the printer around it. Progress is
/// thread-safe: the executor delivers events on its loop thread while a ticker thread
/// redraws.

#include "compose/execute/executor.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wharf::cli {

enum class ComposeProgress { Tty, Plain, Json, Quiet };

/// From --progress (auto|tty|plain|json|quiet); auto = Tty when stderr is a terminal.
ComposeProgress progress_mode(const std::string& flag);

/// "Container shop-web-1", "Network shop_default", "Service db".
std::string progress_subject(const compose::Step& step);

/// The live board: resources in order of first appearance, each with its latest status, a
/// spinner while a step on it runs, and the time since its first step began (frozen once
/// none runs). Thread-compatible.
class ProgressBoard {
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    void on_event(const compose::StepEvent& event, TimePoint now);
    /// "[+] Running done/total", then one line per resource; lines are cut to `columns`
    /// (0: never). The spinner turns every 100 ms from the first event.
    std::vector<std::string> frame(TimePoint now, size_t columns = 0) const;
    bool empty() const { return m_rows.empty(); }

private:
    struct Row {
        std::string subject, status, text;
        enum class Mark { Working, Done, Failed, Warning } mark = Mark::Working;
        TimePoint first{}, last{};
    };
    Row& row(const std::string& subject, TimePoint now);

    std::vector<Row> m_rows;
    TimePoint m_start{};
};

class Progress {
public:
    explicit Progress(ComposeProgress mode);
    /// A live board collapses to its final lines.
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    void on_event(const compose::StepEvent& event);
    /// A free-form line ("Gracefully stopping..."), above a live board.
    void note(const std::string& text);

private:
    void draw_locked();
    void tick();

    ComposeProgress m_mode;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    ProgressBoard m_board;
    size_t m_drawn = 0; ///< lines of the last frame on screen
    bool m_stop = false;
    std::thread m_ticker;
};

} // namespace wharf::cli
