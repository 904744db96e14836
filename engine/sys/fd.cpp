#include "engine/sys/fd.h"

#include <unistd.h>

namespace wharf::sys {

void UniqueFd::reset(int fd)
{
    if (m_fd >= 0)
        ::close(m_fd); // close(2) must not be retried on EINTR on Linux: the fd is gone either way.
    m_fd = fd;
}

} // namespace wharf::sys
