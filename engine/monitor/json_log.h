#pragma once
/// Docker's json-file log format (engine-reference §8): one object per line,
///   {"log":"hello\n","stream":"stdout","time":"2026-12-03T19:34:19.123456789Z"}
/// Lines are split on '\n'; a line longer than 16 KiB is written in partial chunks (without
/// '\n'); output left without newline when the stream ends is written as a partial.

#include "engine/base/result.h"
#include "engine/container/clock.h"
#include "engine/sys/fd.h"

#include <string>
#include <string_view>

namespace wharf::engine {

enum class LogStream { Stdout, Stderr };

/// Go's encoding/json string escaping as Docker's log files show it.
std::string json_escape_log(std::string_view text);
/// One encoded line, with its trailing '\n'.
std::string encode_log_entry(std::string_view text, LogStream stream, SystemTime time);

struct LogEntry {
    std::string log;
    LogStream stream = LogStream::Stdout;
    std::string time;
};
/// Parses one line of a json-file log; nullopt when it is not one.
std::optional<LogEntry> decode_log_entry(std::string_view line);

/// Appends a container's output to its json-file log. Not thread-safe (the monitor is one thread).
class JsonLogWriter {
public:
    static Result<JsonLogWriter> open(const std::string& path);
    /// Buffers `data` from `stream`; writes every complete line (and 16 KiB chunks).
    void write(LogStream stream, std::string_view data);
    /// Writes what is left of `stream` as a partial line (the stream ended).
    void flush(LogStream stream);

private:
    explicit JsonLogWriter(sys::UniqueFd fd) : m_fd(std::move(fd)) {}
    void emit(LogStream stream, std::string_view text);
    sys::UniqueFd m_fd;
    std::string m_pending[2];
};

} // namespace wharf::engine
