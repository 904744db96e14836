#include "engine/events/event_journal.h"

#include "engine/container/container_event.h"
#include "engine/sys/file.h"

#include <doctest/doctest.h>
#include <algorithm>
#include <sys/wait.h>
#include <unistd.h>

using namespace wharf;
using namespace wharf::engine;

namespace {
Event sample(const std::string& action, int64_t t)
{
    Event e;
    e.action = action;
    e.id = "abc123";
    e.attributes = {{"image", "localhost/busybox:latest"}, {"name", "web"}};
    e.time_nano = t;
    return e;
}
} // namespace

TEST_SUITE("engine.events.journal") {

TEST_CASE("EventJournal_EncodeIsDockersMessage")
{
    auto e = sample("die", 1700000000123456789);
    e.attributes["exitCode"] = "0";
    CHECK(encode_event(e) ==
          R"({"status":"die","id":"abc123","from":"localhost/busybox:latest","Type":"container","Action":"die",)"
          R"("Actor":{"ID":"abc123","Attributes":{"exitCode":"0","image":"localhost/busybox:latest","name":"web"}},)"
          R"("scope":"local","time":1700000000,"timeNano":1700000000123456789})");
    auto back = decode_event(encode_event(e));
    REQUIRE(back);
    CHECK(*back == e);
}

TEST_CASE("EventJournal_MalformedAndTornLinesAreNotEvents")
{
    CHECK_FALSE(decode_event(""));
    CHECK_FALSE(decode_event("{\"Type\":\"container\",\"Act"));
    CHECK_FALSE(decode_event("[1,2]"));
    CHECK_FALSE(decode_event(R"({"Type":"container"})")); // no action
}

TEST_CASE("EventJournal_AppendThenReadInOrderSkippingATornTail")
{
    auto dir = sys::TempDir::create("wharf-events");
    REQUIRE(dir);
    EventJournal j(dir->path());
    REQUIRE(j.append(sample("create", 1)));
    REQUIRE(j.append(sample("start", 2)));
    // A writer killed mid-record leaves a line without its end.
    auto text = sys::read_file(j.path());
    REQUIRE(text);
    REQUIRE(sys::write_file_atomic(j.path(), *text + "{\"status\":\"di"));
    auto all = j.read_all();
    REQUIRE(all.size() == 2);
    CHECK(all[0].action == "create");
    CHECK(all[1].action == "start");
}

TEST_CASE("EventJournal_AppendStampsTheTimeWhenUnset")
{
    auto dir = sys::TempDir::create("wharf-events");
    REQUIRE(dir);
    EventJournal j(dir->path());
    int64_t before = unix_nanos_now();
    REQUIRE(j.append(sample("create", 0)));
    auto all = j.read_all();
    REQUIRE(all.size() == 1);
    CHECK(all[0].time_nano >= before);
    CHECK(all[0].time_nano <= unix_nanos_now());
}

TEST_CASE("EventJournal_RotatesPastMaxBytesKeepingOneGeneration")
{
    auto dir = sys::TempDir::create("wharf-events");
    REQUIRE(dir);
    EventJournal j(dir->path(), 1000); // a record is ~280 bytes
    for (int i = 1; i <= 20; ++i)
        REQUIRE(j.append(sample("start", i)));
    CHECK(sys::exists(j.rotated_path()));
    auto current = sys::read_file(j.path());
    REQUIRE(current);
    CHECK(current->size() <= 1000 + 400);
    // Only the two newest generations remain, still in order, ending with the last record.
    auto all = j.read_all();
    REQUIRE(all.size() >= 4);
    CHECK(all.size() < 20);
    CHECK(all.back().time_nano == 20);
    for (size_t i = 1; i < all.size(); ++i)
        CHECK(all[i].time_nano == all[i - 1].time_nano + 1);
}

TEST_CASE("EventJournal_ConcurrentWritersNeverInterleave")
{
    auto dir = sys::TempDir::create("wharf-events");
    REQUIRE(dir);
    EventJournal j(dir->path(), 64 << 20);
    std::vector<pid_t> kids;
    for (int w = 0; w < 4; ++w) {
        pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            auto e = sample("start", 0);
            e.attributes["writer"] = std::to_string(w);
            e.attributes["padding"] = std::string(2000, 'x');
            for (int i = 0; i < 200; ++i)
                if (!j.append(e))
                    ::_exit(1);
            ::_exit(0);
        }
        kids.push_back(pid);
    }
    for (pid_t k : kids) {
        int st = 0;
        REQUIRE(::waitpid(k, &st, 0) == k);
        CHECK(WIFEXITED(st));
        CHECK(WEXITSTATUS(st) == 0);
    }
    auto text = sys::read_file(j.path());
    REQUIRE(text);
    size_t lines = static_cast<size_t>(std::count(text->begin(), text->end(), '\n'));
    CHECK(lines == 800);
    CHECK(j.read_all().size() == 800); // every line whole
}

TEST_CASE("EventFollower_SeesNewRecordsAndFollowsARotation")
{
    auto dir = sys::TempDir::create("wharf-events");
    REQUIRE(dir);
    EventJournal j(dir->path(), 1000);
    REQUIRE(j.append(sample("create", 1)));
    auto f = EventFollower::open(dir->path(), EventFollower::From::End);
    REQUIRE(f);
    auto none = f->next(0);
    REQUIRE(none);
    CHECK(none->empty()); // From::End: the old record is not replayed
    REQUIRE(j.append(sample("start", 2)));
    auto got = f->next(1000);
    REQUIRE(got);
    REQUIRE(got->size() == 1);
    CHECK((*got)[0].action == "start");
    // Enough records to rotate (more than once): every one still arrives exactly once.
    for (int i = 3; i <= 12; ++i) {
        REQUIRE(j.append(sample("start", i)));
        if (i % 3 == 0) {
            auto part = f->next(1000);
            REQUIRE(part);
            got->insert(got->end(), part->begin(), part->end());
        }
    }
    auto rest = f->next(200);
    REQUIRE(rest);
    got->insert(got->end(), rest->begin(), rest->end());
    REQUIRE(got->size() == 11);
    for (size_t i = 0; i < got->size(); ++i)
        CHECK((*got)[i].time_nano == static_cast<int64_t>(i) + 2);
}

TEST_CASE("EventFollower_OldestReplaysBothGenerations")
{
    auto dir = sys::TempDir::create("wharf-events");
    REQUIRE(dir);
    EventJournal j(dir->path(), 1000);
    for (int i = 1; i <= 5; ++i)
        REQUIRE(j.append(sample("start", i)));
    REQUIRE(sys::exists(j.rotated_path()));
    auto f = EventFollower::open(dir->path(), EventFollower::From::Oldest);
    REQUIRE(f);
    auto got = f->next(0);
    REQUIRE(got);
    CHECK(got->size() == j.read_all().size());
    CHECK(got->back().time_nano == 5);
}

TEST_CASE("ContainerEvent_LabelsImageNameAndExtras")
{
    ContainerRecord r;
    r.id = "f00d";
    r.config.name = "shop-web-1";
    r.config.image = "localhost/busybox:latest";
    r.config.labels = {{"com.docker.compose.service", "web"}};
    auto e = container_event(r, "die", {{"exitCode", "3"}});
    CHECK(e.type == "container");
    CHECK(e.action == "die");
    CHECK(e.id == "f00d");
    CHECK(e.attributes == std::map<std::string, std::string>{{"com.docker.compose.service", "web"},
                                                             {"exitCode", "3"},
                                                             {"image", "localhost/busybox:latest"},
                                                             {"name", "shop-web-1"}});
}

}
