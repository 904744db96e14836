#include "engine/sys/inotify.h"

#include <cerrno>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

namespace wharf::sys {

Result<Inotify> Inotify::create()
{
    UniqueFd fd(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
    if (!fd)
        return Error::from_errno("inotify_init1(2)", errno);
    return Inotify(std::move(fd));
}

Result<void> Inotify::watch(const std::string& path, uint32_t mask)
{
    if (::inotify_add_watch(m_fd.get(), path.c_str(), mask) < 0)
        return Error::from_errno("inotify_add_watch(2) " + path, errno);
    return ok();
}

Result<bool> Inotify::wait(int timeout_ms)
{
    pollfd p{m_fd.get(), POLLIN, 0};
    int r;
    do {
        r = ::poll(&p, 1, timeout_ms);
    } while (r < 0 && errno == EINTR);
    if (r < 0)
        return Error::from_errno("poll(2) inotify", errno);
    if (r == 0)
        return false;
    alignas(inotify_event) char buf[4096];
    while (::read(m_fd.get(), buf, sizeof buf) > 0) {
    }
    return true;
}

} // namespace wharf::sys
