// Prefixed log lines of many containers (see compose_log_stream.h).
#include "tools/wharf/compose_log_stream.h"

#include "engine/monitor/json_log.h"

#include <algorithm>
#include <fcntl.h>
#include <iostream>
#include <thread>
#include <unistd.h>

namespace wharf::cli {

void LogStream::add(const engine::ContainerRecord& r, const std::string& project)
{
    Source s;
    s.id = r.id;
    s.prefix = r.config.name.rfind(project + "-", 0) == 0 ? r.config.name.substr(project.size() + 1) : r.config.name;
    s.path = m_engine.store().log_path(r.id);
    static const int colors[] = {36, 33, 32, 35, 34, 96, 93, 92, 95, 94};
    s.color = colors[m_sources.size() % 10];
    m_width = std::max(m_width, s.prefix.size());
    m_sources.push_back(std::move(s));
}

void LogStream::emit(const Source& s, const std::string& line)
{
    auto e = engine::decode_log_entry(line);
    if (!e)
        return;
    std::string out;
    if (m_options.prefix) {
        std::string p = s.prefix + std::string(m_width - s.prefix.size(), ' ') + "  | ";
        out += m_options.color ? "\x1b[" + std::to_string(s.color) + "m" + p + "\x1b[0m" : p;
    }
    if (m_options.timestamps)
        out += e->time + " ";
    out += e->log;
    if (out.empty() || out.back() != '\n')
        out += '\n';
    std::cout << out;
}

// Reads what is new in the file; prints complete lines. True when anything was read.
bool LogStream::pump(Source& s)
{
    if (!s.fd)
        s.fd = sys::UniqueFd(::open(s.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!s.fd)
        return false;
    char buf[65536];
    bool any = false;
    ssize_t n;
    while ((n = ::read(s.fd.get(), buf, sizeof buf)) > 0) {
        s.pending.append(buf, static_cast<size_t>(n));
        any = true;
    }
    size_t nl;
    while ((nl = s.pending.find('\n')) != std::string::npos) {
        emit(s, s.pending.substr(0, nl));
        s.pending.erase(0, nl + 1);
    }
    return any;
}

void LogStream::run()
{
    // The existing content, honouring --tail.
    for (auto& s : m_sources) {
        s.fd = sys::UniqueFd(::open(s.path.c_str(), O_RDONLY | O_CLOEXEC));
        if (!s.fd)
            continue;
        std::string all;
        char buf[65536];
        ssize_t n;
        while ((n = ::read(s.fd.get(), buf, sizeof buf)) > 0)
            all.append(buf, static_cast<size_t>(n));
        std::vector<std::string> lines;
        size_t start = 0, nl;
        while ((nl = all.find('\n', start)) != std::string::npos) {
            lines.push_back(all.substr(start, nl - start));
            start = nl + 1;
        }
        s.pending = all.substr(start);
        size_t first = 0;
        if (m_options.tail >= 0 && static_cast<size_t>(m_options.tail) < lines.size())
            first = lines.size() - static_cast<size_t>(m_options.tail);
        for (size_t i = first; i < lines.size(); ++i)
            emit(s, lines[i]);
    }
    std::cout.flush();
    if (m_options.follow) {
        for (;;) {
            bool any = false;
            for (auto& s : m_sources)
                any |= pump(s);
            std::cout.flush();
            if (m_options.stop && m_options.stop()) {
                // What the containers wrote up to the stop still shows.
                for (auto& s : m_sources)
                    pump(s);
                break;
            }
            bool running = false;
            for (const auto& s : m_sources)
                if (auto r = m_engine.store().load(s.id); r && engine::is_active(*r))
                    running = true;
            if (!running && !any) {
                for (auto& s : m_sources)
                    pump(s);
                break;
            }
            if (!any)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    m_sources.clear();
    std::cout.flush();
}

} // namespace wharf::cli
