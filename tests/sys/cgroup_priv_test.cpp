#include "engine/sys/cgroup.h"

#include "engine/sys/file.h"

#include <doctest/doctest.h>

#include <atomic>
#include <csignal>
#include <random>
#include <sys/mman.h>
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

}
