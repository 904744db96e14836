#pragma once
/// Prefixed, coloured log lines of several containers at once, as `compose logs` and an
/// attached `compose up` print them ("web-1  | GET / 200"). Reads each container's
/// json-file log; follows new output when asked. Not thread-safe.

#include "engine/container/container_engine.h"
#include "engine/sys/fd.h"

#include <functional>
#include <string>
#include <vector>

namespace wharf::cli {

struct LogStreamOptions {
    bool follow = false;
    bool timestamps = false;
    bool prefix = true;     ///< false: --no-log-prefix
    bool color = false;
    long tail = -1;         ///< lines from the end per container; -1 = all
    /// Polled while following; returning true stops the stream.
    std::function<bool()> stop;
};

class LogStream {
public:
    LogStream(engine::ContainerEngine& engine, LogStreamOptions options) : m_engine(engine), m_options(std::move(options)) {}
    /// Adds a container (by record); its prefix is the name without "<project>-".
    void add(const engine::ContainerRecord& record, const std::string& project);
    /// Prints what is there, then (follow) new lines until every container stopped or stop().
    void run();

private:
    struct Source {
        std::string id, prefix, path;
        sys::UniqueFd fd;
        std::string pending;
        int color = 0;
    };
    bool pump(Source& s);
    void emit(const Source& s, const std::string& line);

    engine::ContainerEngine& m_engine;
    LogStreamOptions m_options;
    std::vector<Source> m_sources;
    size_t m_width = 0;
};

} // namespace wharf::cli
