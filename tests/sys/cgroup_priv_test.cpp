#include "engine/sys/cgroup.h"

#include "engine/base/split.h"
#include "engine/sys/file.h"
#include "engine/sys/process.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <random>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace wharf;

TEST_SUITE("sys.cgroup") {

// A real child spinning on a shared counter: frozen, it stops counting; thawed, it goes on.
TEST_CASE("Cgroup_FreezeStopsTheMembersAndThawResumesThem")
{
    std::string name = "wharf-test/freeze-" + std::to_string(std::random_device{}());
    auto cg = sys::Cgroup::create(name, {});
    REQUIRE(cg);
    auto* counter = static_cast<std::atomic<long>*>(
        ::mmap(nullptr, sizeof(std::atomic<long>), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    REQUIRE(counter != MAP_FAILED);
    new (counter) std::atomic<long>(0);
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        for (;;) {
            counter->fetch_add(1);
            ::usleep(1000);
        }
    }
    REQUIRE(cg->add(child));
    ::usleep(50000);
    CHECK_FALSE(cg->frozen());

    REQUIRE(cg->freeze());
    CHECK(cg->frozen());
    long a = counter->load();
    ::usleep(200000);
    CHECK(counter->load() == a);
    CHECK(cg->freeze()); // freezing a frozen group is fine

    REQUIRE(cg->thaw());
    CHECK_FALSE(cg->frozen());
    ::usleep(200000);
    CHECK(counter->load() > a);

    // A frozen group can still be killed and removed (what stop/rm -f of a paused container do).
    REQUIRE(cg->freeze());
    cg->kill_all();
    int st = 0;
    REQUIRE(::waitpid(child, &st, 0) == child);
    CHECK(WIFSIGNALED(st));
    CHECK(cg->destroy());
    for (const auto& p : cg->paths())
        CHECK_FALSE(sys::exists(p));
    CHECK(sys::Cgroup::open("wharf-test").destroy());
    ::munmap(counter, sizeof(std::atomic<long>));
}


namespace {

/// Where the cgroup2 hierarchy is mounted: /sys/fs/cgroup on unified hosts,
/// /sys/fs/cgroup/unified on hybrid ones like this one; "" if nowhere.
std::string cgroup2_mount()
{
    std::string info = sys::read_file("/proc/self/mountinfo").value_or("");
    for (std::string_view line : split_lines(info))
        if (auto fields = split_words(line); fields.size() > 8) {
            auto dash = std::find(fields.begin(), fields.end(), "-");
            if (dash + 1 < fields.end() && dash[1] == "cgroup2" && fields[3] == "/")
                return std::string(fields[4]);
        }
    return "";
}

/// The v2 cgroup of `pid` ("/wharf-test-v2-…"), from the "0::" line of /proc/PID/cgroup.
std::string v2_cgroup_of(pid_t pid)
{
    std::string text = sys::read_file("/proc/" + std::to_string(pid) + "/cgroup").value_or("");
    for (std::string_view line : split_lines(text))
        if (line.starts_with("0::"))
            return std::string(line.substr(3));
    return "";
}

} // namespace

// The v2 paths, on the host's cgroup2 mount whatever its layout (this host is hybrid: its v1
// controllers serve the containers, the tests above): a child cloned straight into the
// group (CLONE_INTO_CGROUP), the calling process joining it (cgroup.procs), cgroup.freeze
// stopping and resuming a member, cgroup.kill and removal.
TEST_CASE("Cgroup_V2CloneIntoFreezeKillOnTheCgroup2Mount")
{
    std::string mount = cgroup2_mount();
    REQUIRE_MESSAGE(!mount.empty(), "no cgroup2 mount in /proc/self/mountinfo");
    std::string name = "wharf-test-v2-" + std::to_string(std::random_device{}());
    REQUIRE(::mkdir((mount + "/" + name).c_str(), 0755) == 0);
    auto cg = sys::Cgroup::open_unified_at(mount, name);
    CHECK(cg.unified());
    auto dir = cg.dir_fd();
    REQUIRE(dir);

    auto* counter = static_cast<std::atomic<long>*>(
        ::mmap(nullptr, sizeof(std::atomic<long>), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    REQUIRE(counter != MAP_FAILED);
    new (counter) std::atomic<long>(0);
    auto child = sys::clone_process(0, dir->get());
    REQUIRE(child);
    if (*child == 0) {
        for (;;) {
            counter->fetch_add(1);
            ::usleep(1000);
        }
    }
    CHECK(v2_cgroup_of(*child) == "/" + name); // born there, never moved
    CHECK(cg.pids() == std::vector<pid_t>{*child});

    REQUIRE(cg.freeze());
    CHECK(cg.frozen());
    long a = counter->load();
    ::usleep(200000);
    CHECK(counter->load() == a);
    REQUIRE(cg.thaw());
    CHECK_FALSE(cg.frozen());
    ::usleep(200000);
    CHECK(counter->load() > a);

    // join_self: a single-threaded process moves itself in.
    pid_t joiner = ::fork();
    REQUIRE(joiner >= 0);
    if (joiner == 0)
        ::_exit(cg.join_self() && v2_cgroup_of(::getpid()) == "/" + name ? 0 : 1);
    int st = 0;
    REQUIRE(::waitpid(joiner, &st, 0) == joiner);
    CHECK((WIFEXITED(st) && WEXITSTATUS(st) == 0));

    REQUIRE(cg.freeze());
    cg.kill_all(); // cgroup.kill, also of a frozen group
    REQUIRE(::waitpid(*child, &st, 0) == *child);
    CHECK(WIFSIGNALED(st));
    CHECK(cg.destroy());
    CHECK_FALSE(sys::exists(mount + "/" + name));
    ::munmap(counter, sizeof(std::atomic<long>));
}

}
