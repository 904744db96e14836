#pragma once
/// Resolving Docker's `--user` ("name", "uid", "name:group", "uid:gid") against a container's
/// /etc/passwd and /etc/group text. Pure: the caller reads the files.

#include "engine/base/result.h"

#include <string>
#include <sys/types.h>
#include <vector>

namespace wharf::engine {

struct ResolvedUser {
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups; ///< supplementary groups from /etc/group
    std::string home = "/";
};

/// Numeric ids need no passwd entry; names do ("unable to find user x: no matching entries in
/// passwd file", Docker's text).
Result<ResolvedUser> resolve_user(const std::string& spec, const std::string& passwd, const std::string& group);

} // namespace wharf::engine
