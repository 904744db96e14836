#include "tools/wharf/event_stream.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>

using namespace wharf;
using namespace wharf::cli;

namespace {
struct UtcZone {
    UtcZone()
    {
        if (const char* tz = std::getenv("TZ"))
            m_old = tz;
        ::setenv("TZ", "UTC", 1);
        ::tzset();
    }
    ~UtcZone()
    {
        if (m_old.empty())
            ::unsetenv("TZ");
        else
            ::setenv("TZ", m_old.c_str(), 1);
        ::tzset();
    }
    std::string m_old;
};

engine::Event ev()
{
    engine::Event e;
    e.action = "start";
    e.id = "4f2a";
    e.time_nano = 1'700'000'000'120'000'000;
    e.attributes = {{"name", "shop-web-1"},
                    {"image", "localhost/busybox:latest"},
                    {"com.docker.compose.service", "web"},
                    {"com.docker.compose.project", "shop"},
                    {"dev.wharf.compose.config-hash-version", "1"}};
    return e;
}
} // namespace

TEST_SUITE("cli.event_stream") {

TEST_CASE("EventLine_DockerEventsFormat")
{
    UtcZone utc;
    CHECK(docker_event_line(ev()) ==
          "2023-11-14T22:13:20.120000000Z container start 4f2a (com.docker.compose.project=shop, "
          "com.docker.compose.service=web, dev.wharf.compose.config-hash-version=1, "
          "image=localhost/busybox:latest, name=shop-web-1)");
    auto bare = ev();
    bare.attributes.clear();
    CHECK(docker_event_line(bare) == "2023-11-14T22:13:20.120000000Z container start 4f2a");
}

TEST_CASE("EventLine_ComposeTextDropsComposeLabels")
{
    UtcZone utc;
    CHECK(compose_event_line(ev()) ==
          "2023-11-14 22:13:20.120000 container start 4f2a (image=localhost/busybox:latest, name=shop-web-1)");
}

TEST_CASE("EventLine_ComposeJsonSortedKeysGoTime")
{
    UtcZone utc;
    CHECK(compose_event_json(ev(), "web") ==
          R"({"action":"start","attributes":{"image":"localhost/busybox:latest","name":"shop-web-1"},)"
          R"("id":"4f2a","service":"web","time":"2023-11-14T22:13:20.12Z","type":"container"})");
    auto bare = ev();
    bare.attributes.clear();
    bare.time_nano = 1'700'000'000'000'000'000;
    CHECK(compose_event_json(bare, "") ==
          R"({"action":"start","attributes":{},"id":"4f2a","service":"","time":"2023-11-14T22:13:20Z","type":"container"})");
}

}
