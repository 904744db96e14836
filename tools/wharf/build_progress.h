#pragma once
/// BuildProgressPrinter: how `wharf build` (and later `compose build`) shows a build, as
/// BuildKit's progress modes do. It writes to one stream (stderr for `wharf build`).
///
///   plain  one vertex per step, numbered, lines never rewritten (logs, CI, no terminal):
///            #3 [2/4] RUN echo hi
///            #3 0.012 hi
///            #3 DONE 0.1s
///
///            #4 [3/4] COPY . /www
///            #4 CACHED
///   tty    one line per finished step with its time, the running step's last output lines
///          under it (`=> => # …`) erased when it is done (ANSI escapes; a terminal only)
///   quiet  nothing while building
/// Whatever the mode, fail_step() prints the failing step's output (its last 200 lines) in
/// a box — unless plain mode has just streamed it — so the reason is always on screen.
/// Not thread-safe (called from the building thread).

#include "engine/base/error.h"
#include "engine/build/builder.h"

#include <chrono>
#include <deque>
#include <ostream>
#include <string>
#include <vector>

namespace wharf::cli {

enum class ProgressMode { Plain, Tty, Quiet };

/// "auto" (tty when `fd` is a terminal, else plain), "plain", "tty", "quiet".
Result<ProgressMode> parse_progress_mode(const std::string& text, int fd);

class BuildProgressPrinter : public engine::build::ProgressSink {
public:
    BuildProgressPrinter(std::ostream& out, ProgressMode mode, int columns = 80);

    /// `[internal] load build definition from <name>`: the first vertex.
    void begin(const std::string& dockerfile_name);
    void step_started(const engine::build::StepInfo& info) override;
    void step_cached(const engine::build::StepInfo& info) override;
    void step_done(const engine::build::StepInfo& info, const std::string& id, double seconds) override;
    void output(std::string_view chunk) override;
    void message(const std::string& text) override;
    /// The exporting vertex: `writing image sha256:…`, `naming to <tag>` per tag.
    void finished(const std::string& image_id, const std::vector<std::string>& tags);
    /// The current step failed with `error`: its output and an ERROR line.
    void fail_step(const Error& error);

private:
    void vertex(const std::string& name);
    std::string prefix() const { return "#" + std::to_string(m_vertex) + " "; }
    void flush_line(const std::string& line);
    void tty_redraw_window();
    void tty_finish_line(const std::string& name, double seconds, bool cached);

    std::ostream& m_out;
    ProgressMode m_mode;
    int m_columns;
    int m_vertex = 0;
    std::string m_name; ///< the current vertex' display name ("[2/4] RUN echo hi")
    std::string m_partial; ///< output not yet ended by a newline
    std::deque<std::string> m_log; ///< the current step's output lines (last 200)
    std::deque<std::string> m_window; ///< tty: the lines shown under the running step
    int m_shown = 0; ///< tty: lines printed since the step's header line
    bool m_cached = false;
    std::chrono::steady_clock::time_point m_started, m_build_started;
};

} // namespace wharf::cli
