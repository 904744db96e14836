#include "engine/container/container_store.h"

#include <doctest/doctest.h>
#include <unistd.h>

using namespace wharf;
using namespace wharf::engine;

TEST_SUITE("engine.container.container_store") {

namespace {

ContainerRecord record(const std::string& name)
{
    ContainerRecord r;
    r.id = new_container_id();
    r.config.name = name;
    return r;
}

} // namespace

TEST_CASE("ContainerStore_DetachFreesIdAndNameAtOnceAndLeavesTheFilesToDelete")
{
    auto dir = sys::TempDir::create("wharf-store");
    REQUIRE(dir);
    auto store = ContainerStore::open(dir->path());
    REQUIRE(store);
    auto r = record("web");
    REQUIRE(store->add(r));
    REQUIRE(sys::write_file_atomic(store->dir(r.id) + "/upper-file", "x"));

    auto gone = store->detach(r.id);
    REQUIRE(gone);
    CHECK_FALSE(store->load(r.id));
    CHECK(store->list().empty());
    CHECK_FALSE(store->resolve("web"));
    CHECK(store->add(record("web"))); // the name is free again
    CHECK(sys::exists(*gone + "/upper-file"));
    CHECK(*gone == dir->path() + "/containers/.removed-" + r.id + "." + std::to_string(::getpid()));
    REQUIRE(sys::remove_all(*gone));
}

TEST_CASE("ContainerStore_SweepDeletesOnlyWhatDeadRemoversLeft")
{
    auto dir = sys::TempDir::create("wharf-store");
    REQUIRE(dir);
    auto store = ContainerStore::open(dir->path());
    REQUIRE(store);
    std::string base = dir->path() + "/containers/.removed-" + std::string(64, 'a');
    // PID 2^22 + 1 is above pid_max's ceiling: no process has it.
    std::string dead = base + ".4194305", live = base + "." + std::to_string(::getpid());
    REQUIRE(sys::make_dirs(dead + "/upper"));
    REQUIRE(sys::make_dirs(live + "/upper"));
    store->sweep_detached();
    CHECK_FALSE(sys::exists(dead));
    CHECK(sys::exists(live)); // its remover (this process) is still at work
}

} // TEST_SUITE
