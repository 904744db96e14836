#include "engine/monitor/json_log.h"

#include "engine/sys/pty.h"

#include <cerrno>
#include <fcntl.h>
#include <nlohmann/json.hpp>

namespace wharf::engine {

namespace {
constexpr size_t kMaxLine = 16 * 1024;

// Length of a valid UTF-8 sequence starting at s[i], or 0 when invalid.
size_t utf8_length(std::string_view s, size_t i)
{
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size())
        return 0;
    for (size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
            return 0;
    if (n == 2 && c < 0xC2)
        return 0;
    return n;
}
} // namespace

std::string json_escape_log(std::string_view s)
{
    static const char* hex = "0123456789abcdef";
    std::string out;
    out.reserve(s.size() + 8);
    for (size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '<': case '>': case '&':
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
                break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 15];
                } else {
                    out += static_cast<char>(c);
                }
            }
            ++i;
            continue;
        }
        size_t n = utf8_length(s, i);
        if (n == 0) {
            out += "\\ufffd";
            ++i;
            continue;
        }
        std::string_view seq = s.substr(i, n);
        if (seq == "\xE2\x80\xA8")
            out += "\\u2028";
        else if (seq == "\xE2\x80\xA9")
            out += "\\u2029";
        else
            out += seq;
        i += n;
    }
    return out;
}

std::string encode_log_entry(std::string_view text, LogStream stream, SystemTime time)
{
    std::string out = "{";
    if (!text.empty())
        out += "\"log\":\"" + json_escape_log(text) + "\",";
    out += "\"stream\":\"";
    out += stream == LogStream::Stdout ? "stdout" : "stderr";
    out += "\",\"time\":\"" + format_rfc3339nano(time) + "\"}\n";
    return out;
}

std::optional<LogEntry> decode_log_entry(std::string_view line)
{
    try {
        auto j = nlohmann::json::parse(line);
        LogEntry e;
        e.log = j.value("log", "");
        e.stream = j.value("stream", "stdout") == "stderr" ? LogStream::Stderr : LogStream::Stdout;
        e.time = j.value("time", "");
        return e;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

Result<JsonLogWriter> JsonLogWriter::open(const std::string& path)
{
    sys::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640));
    if (!fd)
        return Error::from_errno("open " + path, errno);
    return JsonLogWriter(std::move(fd));
}

void JsonLogWriter::emit(LogStream stream, std::string_view text)
{
    // A full disk must not stop the container: the line is dropped.
    (void)sys::write_all(m_fd.get(), encode_log_entry(text, stream, std::chrono::system_clock::now()));
}

void JsonLogWriter::write(LogStream stream, std::string_view data)
{
    std::string& pending = m_pending[stream == LogStream::Stdout ? 0 : 1];
    pending.append(data);
    size_t start = 0;
    for (;;) {
        size_t nl = pending.find('\n', start);
        if (nl == std::string::npos) {
            if (pending.size() - start >= kMaxLine) {
                emit(stream, std::string_view(pending).substr(start, kMaxLine));
                start += kMaxLine;
                continue;
            }
            break;
        }
        if (nl + 1 - start > kMaxLine) {
            emit(stream, std::string_view(pending).substr(start, kMaxLine));
            start += kMaxLine;
            continue;
        }
        emit(stream, std::string_view(pending).substr(start, nl + 1 - start));
        start = nl + 1;
    }
    pending.erase(0, start);
}

void JsonLogWriter::flush(LogStream stream)
{
    std::string& pending = m_pending[stream == LogStream::Stdout ? 0 : 1];
    if (!pending.empty())
        emit(stream, pending);
    pending.clear();
}

} // namespace wharf::engine
