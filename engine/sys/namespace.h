#pragma once
/// Namespace and identity syscalls used while setting a container up: unshare, setns,
/// hostname, loopback, capabilities, no_new_privs, uid/gid switching, rlimits.

#include "engine/base/result.h"

#include <string>
#include <sys/types.h>
#include <vector>

namespace wharf::sys {

Result<void> unshare(int flags);
/// setns(2) on a pidfd or a /proc/PID/ns/* fd; `what` names it in errors.
Result<void> setns(int fd, int nstype, const std::string& what);
Result<void> set_hostname(const std::string& name);
/// Brings the loopback interface up in the current network namespace.
Result<void> bring_loopback_up();

/// Capability numbers by Docker's names ("CAP_NET_ADMIN" or "NET_ADMIN"); -1 when unknown.
int capability_from_name(const std::string& name);
/// The highest capability this kernel knows (/proc/sys/kernel/cap_last_cap).
int last_capability();
/// Drops every capability not in `keep` from the bounding set.
Result<void> drop_bounding_except(const std::vector<int>& keep);
/// Sets permitted = effective = `caps`, inheritable = `caps` (capset(2)).
Result<void> set_capabilities(const std::vector<int>& caps);
Result<void> set_no_new_privs();
/// setgroups, setresgid, setresuid (in that order); keeps capabilities across the switch.
Result<void> switch_user(uid_t uid, gid_t gid, const std::vector<gid_t>& groups);
/// Raises RLIMIT_NOFILE's soft limit to `want` (clamped to the hard limit; never fails on EPERM).
void raise_nofile_limit(unsigned long want);

} // namespace wharf::sys
