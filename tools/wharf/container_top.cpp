// See container_top.h.
#include "tools/wharf/container_top.h"

#include "engine/container/runtime.h"
#include "engine/sys/cgroup.h"
#include "engine/sys/file.h"
#include "engine/sys/process.h"
#include "engine/sys/pty.h"

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <iostream>
#include <optional>
#include <pwd.h>
#include <sstream>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace wharf::cli {
namespace {

struct Proc {
    pid_t pid = 0, ppid = 0;
    unsigned uid = 0;
    unsigned long long ticks = 0, start = 0; // utime+stime, starttime (clock ticks)
    unsigned long tty = 0;
    std::string cmd;
};

std::optional<Proc> read_proc(pid_t pid)
{
    auto stat = sys::read_file("/proc/" + std::to_string(pid) + "/stat");
    auto status = sys::read_file("/proc/" + std::to_string(pid) + "/status");
    if (!stat || !status)
        return std::nullopt;
    Proc p;
    p.pid = pid;
    auto rparen = stat->rfind(')');
    auto lparen = stat->find('(');
    if (rparen == std::string::npos || lparen == std::string::npos)
        return std::nullopt;
    std::string comm = stat->substr(lparen + 1, rparen - lparen - 1);
    std::istringstream in(stat->substr(rparen + 2));
    std::vector<std::string> f; // f[0] is field 3 (state)
    for (std::string w; in >> w;)
        f.push_back(w);
    if (f.size() < 20)
        return std::nullopt;
    p.ppid = std::stoi(f[1]);
    p.tty = std::stoul(f[4]);
    p.ticks = std::stoull(f[11]) + std::stoull(f[12]);
    p.start = std::stoull(f[19]);
    auto u = status->find("\nUid:");
    if (u != std::string::npos)
        p.uid = static_cast<unsigned>(std::stoul(status->substr(u + 5)));
    if (auto cmdline = sys::read_file("/proc/" + std::to_string(pid) + "/cmdline");
        cmdline && !cmdline->empty()) {
        std::string c = *cmdline;
        while (!c.empty() && c.back() == '\0')
            c.pop_back();
        std::replace(c.begin(), c.end(), '\0', ' ');
        p.cmd = c;
    } else {
        p.cmd = "[" + comm + "]";
    }
    return p;
}

std::string user_name(unsigned uid)
{
    passwd pw {}, *out = nullptr;
    char buf[4096];
    if (::getpwuid_r(uid, &pw, buf, sizeof buf, &out) == 0 && out)
        return out->pw_name;
    return std::to_string(uid);
}

std::string tty_name(unsigned long nr)
{
    if (nr == 0)
        return "?";
    unsigned maj = major(static_cast<dev_t>(nr)), min = minor(static_cast<dev_t>(nr));
    if (maj >= 136 && maj <= 143)
        return "pts/" + std::to_string((maj - 136) * 256 + min);
    if (maj == 4 && min < 64)
        return "tty" + std::to_string(min);
    if (maj == 4)
        return "ttyS" + std::to_string(min - 64);
    return "?";
}

std::string cpu_time(unsigned long long secs)
{
    char buf[32];
    unsigned long long d = secs / 86400, h = secs / 3600 % 24, m = secs / 60 % 60, s = secs % 60;
    if (d)
        std::snprintf(buf, sizeof buf, "%llu-%02llu:%02llu:%02llu", d, h, m, s);
    else
        std::snprintf(buf, sizeof buf, "%02llu:%02llu:%02llu", h, m, s);
    return buf;
}

long long boot_time()
{
    auto stat = sys::read_file("/proc/stat");
    if (!stat)
        return 0;
    auto b = stat->find("\nbtime ");
    return b == std::string::npos ? 0 : std::stoll(stat->substr(b + 7));
}

// Docker's way with ps options: run the host's ps(1) with them and keep the lines whose PID
// column names a process of the container; the last column may contain spaces.
Result<std::string> ps_table(const std::vector<std::string>& args, const std::vector<pid_t>& pids)
{
    auto pipe = TRY(sys::make_pipe());
    std::vector<std::string> argv = {"ps"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::cout.flush();
    pid_t pid = ::fork();
    if (pid < 0)
        return Error::from_errno("fork(2)", errno);
    if (pid == 0) {
        ::dup2(pipe.write.get(), 1);
        std::vector<char*> cargv;
        for (auto& a : argv)
            cargv.push_back(a.data());
        cargv.push_back(nullptr);
        ::execvp("ps", cargv.data());
        ::_exit(127);
    }
    sys::ChildProcess child(pid);
    pipe.write.reset();
    auto text = TRY(sys::read_all(pipe.read.get()));
    int code = TRY(child.wait());
    if (code != 0)
        return Error(Errc::Invalid,
            "ps: exit status " + std::to_string(code) + " for options \"" + args.front() + "\"");
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);
    std::vector<std::string> titles;
    for (std::istringstream h(line); h >> line;)
        titles.push_back(line);
    auto pid_col = std::find(titles.begin(), titles.end(), "PID");
    if (pid_col == titles.end() || titles.empty())
        return Error(Errc::Invalid, "Couldn't find PID field in ps output");
    size_t pid_index = static_cast<size_t>(pid_col - titles.begin());
    std::string out;
    for (size_t i = 0; i < titles.size(); ++i)
        out += titles[i] + (i + 1 < titles.size() ? "\t" : "\n");
    while (std::getline(in, line)) {
        std::vector<std::string> fields;
        std::istringstream f(line);
        for (std::string w; f >> w;)
            fields.push_back(w);
        if (fields.size() <= pid_index)
            continue;
        pid_t p = static_cast<pid_t>(std::atol(fields[pid_index].c_str()));
        if (std::find(pids.begin(), pids.end(), p) == pids.end())
            continue;
        // Fields beyond the titles belong to the last column (a command line).
        std::vector<std::string> cells(
            fields.begin(), fields.begin() + static_cast<long>(std::min(fields.size(), titles.size())));
        for (size_t i = titles.size(); i < fields.size(); ++i)
            cells.back() += " " + fields[i];
        for (size_t i = 0; i < cells.size(); ++i)
            out += cells[i] + (i + 1 < cells.size() ? "\t" : "\n");
    }
    return out;
}

} // namespace

Result<std::string> container_top(const engine::ContainerRecord& rec, const std::vector<std::string>& ps_args)
{
    if (rec.state.status != engine::ContainerStatus::Running && rec.state.status != engine::ContainerStatus::Paused)
        return Error(Errc::Conflict, "container " + rec.id + " is not running");
    auto pids = sys::Cgroup::open(engine::cgroup_name(rec.id)).pids();
    if (std::find(pids.begin(), pids.end(), rec.state.pid) == pids.end())
        pids.push_back(rec.state.pid);
    std::sort(pids.begin(), pids.end());
    // Members of the cgroup outside the container's pid namespace are wharf's own exec
    // helpers (they join the cgroup, then fork into the namespace): not the container's.
    auto ns_of = [](pid_t pid) {
        char buf[64] = {};
        std::string link = "/proc/" + std::to_string(pid) + "/ns/pid";
        ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
        return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
    };
    std::string init_ns = ns_of(rec.state.pid);
    std::erase_if(pids, [&](pid_t p) { return ns_of(p) != init_ns; });
    if (!ps_args.empty())
        return ps_table(ps_args, pids);
    long hz = ::sysconf(_SC_CLK_TCK);
    long long boot = boot_time(), now = static_cast<long long>(std::time(nullptr));
    std::string out = "UID\tPID\tPPID\tC\tSTIME\tTTY\tTIME\tCMD\n";
    for (pid_t pid : pids) {
        auto p = read_proc(pid);
        if (!p)
            continue;
        long long started = boot + static_cast<long long>(p->start / static_cast<unsigned long long>(hz));
        long long elapsed = std::max<long long>(1, now - started);
        long long cpu
            = static_cast<long long>(p->ticks * 100 / static_cast<unsigned long long>(hz)) / elapsed;
        time_t st = static_cast<time_t>(started);
        tm local {};
        localtime_r(&st, &local);
        char stime[16];
        std::strftime(stime, sizeof stime, now - started < 86400 ? "%H:%M" : "%b%d", &local);
        out += user_name(p->uid) + "\t" + std::to_string(p->pid) + "\t" + std::to_string(p->ppid) + "\t"
            + std::to_string(cpu) + "\t" + stime + "\t" + tty_name(p->tty) + "\t"
            + cpu_time(p->ticks / static_cast<unsigned long long>(hz)) + "\t" + p->cmd + "\n";
    }
    return out;
}

} // namespace wharf::cli
