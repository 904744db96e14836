#include "engine/sys/cgroup.h"

#include "engine/base/split.h"
#include "engine/sys/file.h"

#include <charconv>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

namespace wharf::sys {

namespace {
const char* const kRoot = "/sys/fs/cgroup";
// The v1 hierarchies a container joins. cpuset is left out: a new v1 cpuset group starts with
// empty cpus/mems and would need copying from its parent for nothing wharf limits.
const char* const kV1Controllers[] = {"memory", "cpu", "cpuacct", "pids", "devices", "freezer", "blkio"};

Result<void> write_value(const std::string& path, const std::string& value)
{
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd)
        return Error::from_errno("open " + path, errno);
    if (::write(fd.get(), value.data(), value.size()) < 0)
        return Error::from_errno("write " + value + " to " + path, errno);
    return ok();
}

// Writes only if the file exists (the controller may not offer it on this host).
Result<void> write_optional(const std::string& path, const std::string& value)
{
    if (!exists(path))
        return ok();
    return write_value(path, value);
}
} // namespace

bool Cgroup::host_is_v2()
{
    struct statfs st{};
    return ::statfs(kRoot, &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC;
}

Cgroup Cgroup::open(const std::string& name)
{
    Cgroup cg;
    cg.m_v2 = host_is_v2();
    if (cg.m_v2) {
        cg.m_paths.push_back(std::string(kRoot) + "/" + name);
    } else {
        for (const char* c : kV1Controllers)
            if (exists(std::string(kRoot) + "/" + c))
                cg.m_paths.push_back(std::string(kRoot) + "/" + c + "/" + name);
    }
    return cg;
}

Cgroup Cgroup::open_unified_at(const std::string& mount, const std::string& name)
{
    Cgroup cg;
    cg.m_v2 = true;
    cg.m_paths.push_back(mount + "/" + name);
    return cg;
}

std::string Cgroup::path_of(const std::string& controller) const
{
    if (m_v2)
        return m_paths.empty() ? "" : m_paths[0];
    for (const auto& p : m_paths)
        if (p.rfind(std::string(kRoot) + "/" + controller + "/", 0) == 0)
            return p;
    return "";
}

Result<Cgroup> Cgroup::create(const std::string& name, const CgroupLimits& limits)
{
    Cgroup cg = open(name);
    if (cg.m_v2) {
        // Controllers must be enabled in every ancestor's subtree_control (no process may
        // live in those intermediate groups, which wharf's own never hold).
        std::string dir = kRoot;
        for (std::string_view part : split(name, '/')) {
            if (part.empty())
                continue;
            for (const char* c : {"+memory", "+cpu", "+pids"})
                (void)write_value(dir + "/cgroup.subtree_control", c);
            dir.append("/").append(part);
            if (::mkdir(dir.c_str(), 0755) < 0 && errno != EEXIST)
                return Error::from_errno("mkdir " + dir, errno);
        }
        const std::string& p = cg.m_paths[0];
        if (limits.memory > 0) {
            TRY(write_value(p + "/memory.max", std::to_string(limits.memory)));
            if (limits.memory_swap != 0)
                TRY(write_optional(p + "/memory.swap.max", limits.memory_swap < 0
                                       ? "max" : std::to_string(limits.memory_swap - limits.memory)));
        }
        if (limits.cpu_quota_us > 0)
            TRY(write_value(p + "/cpu.max", std::to_string(limits.cpu_quota_us) + " 100000"));
        if (limits.pids > 0)
            TRY(write_value(p + "/pids.max", std::to_string(limits.pids)));
        return cg;
    }
    for (const auto& p : cg.m_paths)
        TRY(make_dirs(p));
    if (auto mem = cg.path_of("memory"); !mem.empty() && limits.memory > 0) {
        TRY(write_value(mem + "/memory.limit_in_bytes", std::to_string(limits.memory)));
        if (limits.memory_swap != 0)
            TRY(write_optional(mem + "/memory.memsw.limit_in_bytes", std::to_string(limits.memory_swap)));
    }
    if (auto cpu = cg.path_of("cpu"); !cpu.empty()) {
        if (limits.cpu_quota_us > 0) {
            TRY(write_value(cpu + "/cpu.cfs_period_us", "100000"));
            TRY(write_value(cpu + "/cpu.cfs_quota_us", std::to_string(limits.cpu_quota_us)));
        }
        if (limits.cpu_shares > 0)
            TRY(write_value(cpu + "/cpu.shares", std::to_string(limits.cpu_shares)));
    }
    if (auto pids = cg.path_of("pids"); !pids.empty() && limits.pids > 0)
        TRY(write_value(pids + "/pids.max", std::to_string(limits.pids)));
    if (auto dev = cg.path_of("devices"); !dev.empty()) {
        // Docker's device policy: deny all, allow mknod of anything, and rw on the few
        // devices a container gets (null, zero, full, random, urandom, tty, console, ptmx, pts).
        TRY(write_value(dev + "/devices.deny", "a"));
        for (const char* rule : {"c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm",
                                 "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm",
                                 "c 136:* rwm", "c 10:200 rwm"})
            TRY(write_value(dev + "/devices.allow", rule));
    }
    return cg;
}

Result<void> Cgroup::add(pid_t pid) const
{
    for (const auto& p : m_paths)
        TRY(write_value(p + "/cgroup.procs", std::to_string(pid)));
    return ok();
}

Result<void> Cgroup::join_self() const
{
    for (const auto& p : m_paths)
        TRY(write_value(p + (m_v2 ? "/cgroup.procs" : "/tasks"), "0"));
    return ok();
}

Result<UniqueFd> Cgroup::dir_fd() const
{
    if (!m_v2 || m_paths.empty())
        return Error(Errc::Invalid, "cgroup: a directory descriptor is only for cgroup v2");
    UniqueFd fd(::open(m_paths[0].c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!fd)
        return Error::from_errno("open " + m_paths[0], errno);
    return fd;
}

std::vector<pid_t> Cgroup::pids() const
{
    std::vector<pid_t> out;
    if (m_paths.empty())
        return out;
    std::string where = m_v2 ? m_paths[0] : path_of("pids");
    if (where.empty())
        where = m_paths[0];
    auto procs = read_file(where + "/cgroup.procs");
    if (!procs)
        return out;
    for (std::string_view word : split_words(*procs)) {
        pid_t pid = 0;
        if (std::from_chars(word.data(), word.data() + word.size(), pid).ec != std::errc())
            break; // as `in >> pid` stopped at the first non-number
        out.push_back(pid);
    }
    return out;
}

void Cgroup::kill_all() const
{
    if (m_v2 && exists(m_paths[0] + "/cgroup.kill")) {
        (void)write_value(m_paths[0] + "/cgroup.kill", "1");
        return;
    }
    // v1: freeze first so nothing forks between reading the list and killing it.
    std::string freezer = path_of("freezer");
    if (!freezer.empty())
        (void)write_optional(freezer + "/freezer.state", "FROZEN");
    for (pid_t p : pids())
        ::kill(p, SIGKILL);
    if (!freezer.empty())
        (void)write_optional(freezer + "/freezer.state", "THAWED");
}

namespace {
std::string trimmed(std::string s)
{
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}
} // namespace

bool Cgroup::frozen() const
{
    if (m_paths.empty())
        return false;
    if (m_v2) {
        auto events = read_file(m_paths[0] + "/cgroup.events");
        if (events && events->find("frozen 1") != std::string::npos)
            return true;
        auto want = read_file(m_paths[0] + "/cgroup.freeze");
        return want && trimmed(*want) == "1";
    }
    std::string freezer = path_of("freezer");
    if (freezer.empty())
        return false;
    auto state = read_file(freezer + "/freezer.state");
    return state && trimmed(*state) != "THAWED";
}

Result<void> Cgroup::freeze() const
{
    std::string file, reached;
    if (m_v2) {
        if (m_paths.empty() || !exists(m_paths[0] + "/cgroup.freeze"))
            return Error(Errc::Sys, "freeze cgroup: this kernel has no cgroup.freeze (cgroup v2 freezer, Linux 5.2+)");
        file = m_paths[0] + "/cgroup.freeze";
    } else {
        std::string freezer = path_of("freezer");
        if (freezer.empty() || !exists(freezer + "/freezer.state"))
            return Error(Errc::Sys, "freeze cgroup: the cgroup v1 freezer controller is not mounted");
        file = freezer + "/freezer.state";
    }
    // v1 stays FREEZING while a member sleeps uninterruptibly; writing FROZEN again retries
    // the freeze (what runc does). v2 reports completion as "frozen 1" in cgroup.events.
    for (int attempt = 0; attempt < 500; ++attempt) {
        if (m_v2) {
            if (attempt == 0)
                TRY(write_value(file, "1"));
            auto events = read_file(m_paths[0] + "/cgroup.events");
            if (events && events->find("frozen 1") != std::string::npos)
                return ok();
        } else {
            TRY(write_value(file, "FROZEN"));
            auto state = read_file(file);
            if (state && trimmed(*state) == "FROZEN")
                return ok();
        }
        ::usleep(10000);
    }
    (void)thaw();
    return Error(Errc::Conflict, "freeze cgroup " + file + ": the group did not reach the frozen state in 5 s");
}

Result<void> Cgroup::thaw() const
{
    if (m_v2) {
        if (m_paths.empty())
            return ok();
        return write_optional(m_paths[0] + "/cgroup.freeze", "0");
    }
    std::string freezer = path_of("freezer");
    if (freezer.empty())
        return ok();
    return write_optional(freezer + "/freezer.state", "THAWED");
}

bool Cgroup::oom_killed() const
{
    std::string file = m_v2 ? path_of("memory") + "/memory.events" : path_of("memory") + "/memory.oom_control";
    auto s = read_file(file);
    if (!s)
        return false;
    auto pos = s->find("oom_kill ");
    return pos != std::string::npos && std::atoll(s->c_str() + pos + 9) > 0;
}

Result<void> Cgroup::destroy() const
{
    for (int attempt = 0; attempt < 50; ++attempt) {
        bool left = false;
        for (const auto& p : m_paths) {
            if (::rmdir(p.c_str()) < 0 && errno != ENOENT) {
                if (errno != EBUSY)
                    return Error::from_errno("rmdir " + p, errno);
                left = true;
            }
        }
        if (!left)
            return ok();
        kill_all();
        ::usleep(10000);
    }
    return Error(Errc::Conflict, "remove cgroup " + m_paths[0] + ": processes still running");
}

} // namespace wharf::sys
