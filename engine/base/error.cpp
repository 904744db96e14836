#include "engine/base/error.h"

#include <cstring>

namespace wharf {

Error Error::from_errno(std::string call, int err)
{
    Errc code = Errc::Sys;
    switch (err) {
    case ENOENT: code = Errc::NotFound; break;
    case EEXIST:
    case EBUSY:
    case EADDRINUSE: code = Errc::Conflict; break;
    case EPERM:
    case EACCES: code = Errc::Permission; break;
    case EINTR: code = Errc::Interrupted; break;
    default: break;
    }
    Error e(code, std::move(call) + ": " + std::strerror(err));
    e.m_errno = err;
    return e;
}

Error& Error::context(std::string frame) &
{
    m_frames.insert(m_frames.begin(), std::move(frame));
    return *this;
}

Error&& Error::context(std::string frame) &&
{
    m_frames.insert(m_frames.begin(), std::move(frame));
    return std::move(*this);
}

Error& Error::at(SourceLoc loc) &
{
    m_loc = std::move(loc);
    return *this;
}

Error&& Error::at(SourceLoc loc) &&
{
    m_loc = std::move(loc);
    return std::move(*this);
}

std::string Error::summary() const
{
    std::string out;
    if (m_loc && !m_loc->file.empty()) {
        out += m_loc->file;
        if (m_loc->line > 0) {
            out += ':' + std::to_string(m_loc->line);
            if (m_loc->column > 0)
                out += ':' + std::to_string(m_loc->column);
        }
        out += ": ";
    }
    for (const auto& f : m_frames)
        out += f + ": ";
    out += m_message;
    return out;
}

std::string render_snippet(const SourceLoc& loc)
{
    if (loc.line <= 0 || loc.line_text.empty())
        return {};
    std::string num = std::to_string(loc.line);
    std::string gutter(num.size() < 4 ? 5 : num.size() + 1, ' ');
    std::string numbered = gutter.substr(num.size()) + num;
    std::string out = numbered + " | " + loc.line_text + '\n';
    out += gutter + " | ";
    // Keep tabs so the caret lines up with the source under any tab width.
    for (int i = 1; i < loc.column && i - 1 < static_cast<int>(loc.line_text.size()); ++i)
        out += loc.line_text[static_cast<size_t>(i - 1)] == '\t' ? '\t' : ' ';
    out += "^\n";
    return out;
}

std::string Error::render() const
{
    std::string out = summary() + '\n';
    if (m_loc)
        out += render_snippet(*m_loc);
    return out;
}

} // namespace wharf
