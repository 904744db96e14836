// `wharf logs [-f] [--tail N] [-t] [--since T] [--until T] CONTAINER`: reads the container's
// json-file log; stdout lines to stdout, stderr lines to stderr, as Docker.
#include "engine/container/clock.h"
#include "engine/monitor/json_log.h"
#include "tools/wharf/run_options.h"

#include <fcntl.h>
#include <iostream>
#include <thread>
#include <unistd.h>

namespace wharf::cli {
namespace {

std::optional<engine::SystemTime> parse_when(const std::string& s)
{
    if (s.empty())
        return std::nullopt;
    if (auto t = engine::parse_rfc3339(s))
        return t;
    if (auto d = engine::parse_go_duration(s))
        return std::chrono::system_clock::now() - std::chrono::nanoseconds(*d);
    // Unix timestamps ("1700000000" or with fraction).
    char* end = nullptr;
    double secs = std::strtod(s.c_str(), &end);
    if (end && !*end)
        return engine::SystemTime(std::chrono::duration_cast<engine::SystemTime::duration>(std::chrono::duration<double>(secs)));
    return std::nullopt;
}

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        bool follow = false, timestamps = false, details = false;
        std::string tail = "all", since, until, name;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_flag("-f,--follow", o->follow, "Follow log output");
    cmd.add_flag("-t,--timestamps", o->timestamps, "Show timestamps");
    cmd.add_flag("--details", o->details, "Show extra details provided to logs");
    cmd.add_option("-n,--tail", o->tail, "Number of lines to show from the end of the logs");
    cmd.add_option("--since", o->since, "Show logs since timestamp or relative (e.g. 42m)");
    cmd.add_option("--until", o->until, "Show logs before a timestamp or relative (e.g. 42m)");
    cmd.add_option("container", o->name)->required();
    return [o, &ctx] {
        auto eng = open_engine(ctx);
        if (!eng)
            return report(eng.error());
        auto rec = eng->inspect(o->name);
        if (!rec)
            return report(rec.error());
        auto since = parse_when(o->since);
        auto until = parse_when(o->until);
        if (!o->since.empty() && !since)
            return report(Error(Errc::Invalid, "invalid value for \"since\": " + o->since));
        std::string path = eng->store().log_path(rec->id);
        sys::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
        std::string pending;
        auto emit = [&](const std::string& line) {
            auto e = engine::decode_log_entry(line);
            if (!e)
                return;
            if (since || until) {
                auto t = engine::parse_rfc3339(e->time);
                if (t && since && *t < *since)
                    return;
                if (t && until && *t > *until)
                    return;
            }
            std::ostream& out = e->stream == engine::LogStream::Stderr ? std::cerr : std::cout;
            if (o->timestamps)
                out << e->time << " ";
            out << e->log;
            out.flush();
        };
        auto read_some = [&]() -> bool {
            if (!fd)
                fd = sys::UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
            if (!fd)
                return false;
            char buf[65536];
            bool any = false;
            ssize_t n;
            while ((n = ::read(fd.get(), buf, sizeof buf)) > 0) {
                pending.append(buf, static_cast<size_t>(n));
                any = true;
            }
            return any;
        };
        read_some();
        std::vector<std::string> lines;
        size_t start = 0, nl;
        while ((nl = pending.find('\n', start)) != std::string::npos) {
            lines.push_back(pending.substr(start, nl - start));
            start = nl + 1;
        }
        pending.erase(0, start);
        size_t first = 0;
        if (o->tail != "all" && !o->tail.empty()) {
            long n = std::atol(o->tail.c_str());
            if (n >= 0 && static_cast<size_t>(n) < lines.size())
                first = lines.size() - static_cast<size_t>(n);
        }
        for (size_t i = first; i < lines.size(); ++i)
            emit(lines[i]);
        if (!o->follow)
            return 0;
        for (;;) {
            bool active = false;
            if (auto r = eng->store().load(rec->id))
                active = engine::is_active(*r);
            else
                return 0;
            bool got = read_some();
            while ((nl = pending.find('\n')) != std::string::npos) {
                emit(pending.substr(0, nl));
                pending.erase(0, nl + 1);
            }
            if (!active && !got)
                return 0;
            if (!got)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    };
}

VerbRegistration reg{{.parent = "container", .name = "logs", .aliases = {}, .help = "Fetch the logs of a container", .setup = setup}};
VerbRegistration top{{.parent = "", .name = "logs", .aliases = {}, .help = "Fetch the logs of a container", .setup = setup}};

} // namespace
} // namespace wharf::cli
