#include "engine/events/event_journal.h"

#include "engine/sys/file.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wharf::engine {

using ordered_json = nlohmann::ordered_json;

int64_t unix_nanos_now()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string encode_event(const Event& e)
{
    ordered_json j;
    if (e.type == "container") {
        j["status"] = e.action;
        j["id"] = e.id;
        if (auto it = e.attributes.find("image"); it != e.attributes.end())
            j["from"] = it->second;
    }
    j["Type"] = e.type;
    j["Action"] = e.action;
    j["Actor"] = {{"ID", e.id}, {"Attributes", e.attributes}};
    j["scope"] = "local";
    j["time"] = e.time_nano / 1'000'000'000;
    j["timeNano"] = e.time_nano;
    // Invalid UTF-8 in a label must not make the record unwritable.
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<Event> decode_event(std::string_view line)
{
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return std::nullopt;
    try {
        Event e;
        e.type = j.value("Type", "");
        e.action = j.value("Action", "");
        if (auto a = j.find("Actor"); a != j.end() && a->is_object()) {
            e.id = a->value("ID", "");
            if (auto attrs = a->find("Attributes"); attrs != a->end() && attrs->is_object())
                for (const auto& [k, v] : attrs->items())
                    if (v.is_string())
                        e.attributes[k] = v.get<std::string>();
        }
        e.time_nano = j.value("timeNano", int64_t{0});
        if (e.time_nano == 0)
            e.time_nano = j.value("time", int64_t{0}) * 1'000'000'000;
        if (e.type.empty() || e.action.empty())
            return std::nullopt;
        return e;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

EventJournal::EventJournal(std::string root, uint64_t max_bytes)
    : m_dir(std::move(root) + "/events"), m_path(m_dir + "/events.jsonl"), m_max_bytes(max_bytes)
{
}

Result<void> EventJournal::append(Event event) const
{
    if (event.time_nano == 0)
        event.time_nano = unix_nanos_now();
    TRY(sys::make_dirs(m_dir, 0755));
    sys::UniqueFd fd(::open(m_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
    if (!fd)
        return Error::from_errno("open " + m_path, errno);
    std::string line = encode_event(event) + "\n";
    // Rotate before writing, so the newest record is always in the current file. Under the
    // lock, only the writer whose file is still the current one renames it (another may
    // have rotated meanwhile); the others just reopen.
    struct stat st{};
    if (::fstat(fd.get(), &st) == 0 && st.st_size > 0 && static_cast<uint64_t>(st.st_size) + line.size() > m_max_bytes) {
        auto lock = TRY(sys::FileLock::acquire(m_dir + "/lock"));
        struct stat now{};
        if (::stat(m_path.c_str(), &now) == 0 && now.st_ino == st.st_ino &&
            ::rename(m_path.c_str(), rotated_path().c_str()) < 0)
            return Error::from_errno("rename " + m_path + " to " + rotated_path(), errno);
        fd = sys::UniqueFd(::open(m_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
        if (!fd)
            return Error::from_errno("open " + m_path, errno);
    }
    // One write(2): with O_APPEND the kernel places it whole at the end, so writers in other
    // processes cannot interleave with it.
    ssize_t n;
    do {
        n = ::write(fd.get(), line.data(), line.size());
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return Error::from_errno("write " + m_path, errno);
    if (static_cast<size_t>(n) != line.size())
        return Error(Errc::Io, "write " + m_path + ": short write (" + std::to_string(n) + " of " +
                                   std::to_string(line.size()) + " bytes)");
    return ok();
}

namespace {
void decode_lines(std::string_view text, std::vector<Event>& out)
{
    size_t start = 0;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos)
            break;
        if (auto e = decode_event(text.substr(start, nl - start)))
            out.push_back(std::move(*e));
        start = nl + 1;
    }
}
} // namespace

std::vector<Event> EventJournal::read_all() const
{
    std::vector<Event> out;
    for (const auto& p : {rotated_path(), m_path})
        if (auto text = sys::read_file(p))
            decode_lines(*text, out);
    return out;
}

void record_event(const std::string& root, Event event) noexcept
{
    try {
        (void)EventJournal(root).append(std::move(event));
    } catch (...) {
        // Best effort by contract (see the header).
    }
}

Result<EventFollower> EventFollower::open(const std::string& root, From from)
{
    EventJournal journal(root);
    auto dir = journal.path().substr(0, journal.path().rfind('/'));
    TRY(sys::make_dirs(dir, 0755));
    auto notify = TRY(sys::Inotify::create());
    TRY(notify.watch(dir, IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM));
    EventFollower f(std::move(journal), std::move(notify));
    if (from == From::Oldest)
        if (auto text = sys::read_file(f.m_journal.rotated_path())) {
            std::vector<Event> old;
            decode_lines(*text, old);
            f.m_replay.assign(old.begin(), old.end());
        }
    TRY(f.reopen(from == From::End));
    return f;
}

Result<void> EventFollower::reopen(bool at_end)
{
    const auto& path = m_journal.path();
    sys::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644));
    if (!fd)
        return Error::from_errno("open " + path, errno);
    struct stat st{};
    if (::fstat(fd.get(), &st) < 0)
        return Error::from_errno("fstat(2) " + path, errno);
    if (at_end) {
        if (::lseek(fd.get(), 0, SEEK_END) < 0)
            return Error::from_errno("lseek(2) " + path, errno);
    }
    m_fd = std::move(fd);
    m_ino = st.st_ino;
    m_partial.clear();
    return ok();
}

void EventFollower::drain(std::vector<Event>& out)
{
    for (int round = 0; round < 3; ++round) {
        char buf[65536];
        for (;;) {
            ssize_t n = ::read(m_fd.get(), buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            m_partial.append(buf, static_cast<size_t>(n));
        }
        auto last_nl = m_partial.rfind('\n');
        if (last_nl != std::string::npos) {
            decode_lines(std::string_view(m_partial).substr(0, last_nl + 1), out);
            m_partial.erase(0, last_nl + 1);
        }
        // Rotated away: what we hold is now the previous generation (read to its end
        // above); carry on with the new file from its start.
        struct stat st{};
        if (::stat(m_journal.path().c_str(), &st) != 0 || st.st_ino == m_ino)
            return;
        if (!reopen(false))
            return;
    }
}

Result<std::vector<Event>> EventFollower::next(int timeout_ms)
{
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        std::vector<Event> out(m_replay.begin(), m_replay.end());
        m_replay.clear();
        drain(out);
        if (!out.empty())
            return out;
        int wait_ms = 1000;
        if (timeout_ms >= 0) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
            if (left <= 0)
                return out;
            wait_ms = static_cast<int>(std::min<long long>(left, wait_ms));
        }
        TRY(m_notify.wait(wait_ms));
    }
}

} // namespace wharf::engine
