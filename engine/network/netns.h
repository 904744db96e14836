#pragma once
/// Network namespaces by fd: create an empty one (held only by its fd: it disappears, with
/// every interface in it, when the last fd closes and no process is inside), open a
/// process's, and run a piece of work inside one.
///
/// run_in_netns() runs `fn` on a short-lived helper thread that setns(2)es into the target,
/// so the caller's own namespace never changes; sockets created there stay in that namespace
/// for their whole life (that is how the DNS listener gets into a container).

#include "engine/base/result.h"
#include "engine/sys/fd.h"

#include <optional>
#include <sys/types.h>
#include <thread>
#include <type_traits>

namespace wharf::engine {

Result<sys::UniqueFd> create_netns();
Result<sys::UniqueFd> open_netns(pid_t pid);

/// setns(2) for the calling thread only; used by run_in_netns().
Result<void> enter_netns_this_thread(int netns_fd);

/// Calls fn() (returning Result<T>) inside `netns_fd`; a failing setns is returned as the error.
template <typename F>
auto run_in_netns(int netns_fd, F&& fn) -> std::invoke_result_t<F>
{
    std::optional<std::invoke_result_t<F>> out;
    std::thread([&] {
        if (auto entered = enter_netns_this_thread(netns_fd); !entered) {
            out.emplace(std::move(entered).error());
            return;
        }
        out.emplace(fn());
    }).join();
    return std::move(*out);
}

/// A socket(2) created inside `netns_fd`.
Result<sys::UniqueFd> socket_in_netns(int netns_fd, int domain, int type, int protocol = 0);

} // namespace wharf::engine
