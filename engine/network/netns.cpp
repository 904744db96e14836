#include "engine/network/netns.h"

#include <cerrno>
#include <fcntl.h>
#include <sched.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace wharf::engine {

Result<void> enter_netns_this_thread(int netns_fd)
{
    if (setns(netns_fd, CLONE_NEWNET) != 0)
        return Error::from_errno("setns(2) CLONE_NEWNET", errno);
    return ok();
}

Result<sys::UniqueFd> create_netns()
{
    // unshare(2) in a throwaway thread: the new namespace is kept alive by the fd alone.
    std::optional<Result<sys::UniqueFd>> out;
    std::thread([&] {
        if (unshare(CLONE_NEWNET) != 0) {
            out.emplace(Error::from_errno("unshare(2) CLONE_NEWNET", errno));
            return;
        }
        int fd = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            out.emplace(Error::from_errno("open(2) /proc/thread-self/ns/net", errno));
        else
            out.emplace(sys::UniqueFd(fd));
    }).join();
    return std::move(*out);
}

Result<sys::UniqueFd> open_netns(pid_t pid)
{
    std::string path = "/proc/" + std::to_string(pid) + "/ns/net";
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return Error::from_errno("open(2) " + path, errno);
    return sys::UniqueFd(fd);
}

Result<sys::UniqueFd> socket_in_netns(int netns_fd, int domain, int type, int protocol)
{
    return run_in_netns(netns_fd, [&]() -> Result<sys::UniqueFd> {
        int fd = ::socket(domain, type | SOCK_CLOEXEC, protocol);
        if (fd < 0)
            return Error::from_errno("socket(2)", errno);
        return sys::UniqueFd(fd);
    });
}

} // namespace wharf::engine
