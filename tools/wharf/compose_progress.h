#pragma once
/// Progress lines as docker compose prints them, one per resource and state change:
///   terminal:  " ✔ Container shop-web-1  Started"   (done lines only, with a mark)
///   plain:     " Container shop-web-1  Starting" then " Container shop-web-1  Started"
///   json:      {"id":"Container shop-web-1","status":"Started"} per line
/// on stderr (stdout stays for data), as docker compose does. Thread-compatible; the
/// executor delivers events on one thread.

#include "compose/execute/executor.h"

#include <string>

namespace wharf::cli {

enum class ComposeProgress { Tty, Plain, Json, Quiet };

/// From --progress (auto|tty|plain|json|quiet); auto = Tty when stderr is a terminal.
ComposeProgress progress_mode(const std::string& flag);

class Progress {
public:
    explicit Progress(ComposeProgress mode) : m_mode(mode) {}
    void on_event(const compose::StepEvent& event);
    /// A free-form line ("Gracefully stopping...").
    void note(const std::string& text);

private:
    ComposeProgress m_mode;
};

/// "Container shop-web-1", "Network shop_default", "Service db".
std::string progress_subject(const compose::Step& step);

} // namespace wharf::cli
