#include "engine/events/event_filter.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine;

namespace {
Event ev(const std::string& action, const std::string& id = "4f2a9c0d11", const std::string& name = "shop-web-1")
{
    Event e;
    e.action = action;
    e.id = id;
    e.attributes = {{"image", "127.0.0.1:5000/app:1"}, {"name", name}, {"tier", "front"}};
    return e;
}

EventFilter filter(std::initializer_list<const char*> terms)
{
    EventFilter f;
    for (const char* t : terms)
        REQUIRE(add_event_filter(f, t));
    return f;
}
} // namespace

TEST_SUITE("engine.events.filter") {

TEST_CASE("EventFilter_BadTermsUseDockersTexts")
{
    EventFilter f;
    auto r = add_event_filter(f, "container");
    REQUIRE_FALSE(r);
    CHECK(r.error().message() == "bad format of filter (expected name=value)");
    r = add_event_filter(f, "colour=red");
    REQUIRE_FALSE(r);
    CHECK(r.error().message() == "invalid filter 'colour'");
}

TEST_CASE("EventFilter_SameKeyOrsDifferentKeysAnd")
{
    CHECK(event_matches({}, ev("start")));
    CHECK(event_matches(filter({"event=start", "event=die"}), ev("die")));
    CHECK_FALSE(event_matches(filter({"event=start", "event=die"}), ev("create")));
    CHECK(event_matches(filter({"event=start", "container=shop-web"}), ev("start")));
    CHECK_FALSE(event_matches(filter({"event=start", "container=db"}), ev("start")));
}

TEST_CASE("EventFilter_ContainerByIdPrefixOrName")
{
    CHECK(event_matches(filter({"container=4f2a"}), ev("start")));
    CHECK(event_matches(filter({"container=shop-web-1"}), ev("start")));
    CHECK_FALSE(event_matches(filter({"container=9"}), ev("start")));
}

TEST_CASE("EventFilter_HealthStatusMatchesItsVariants")
{
    CHECK(event_matches(filter({"event=health_status"}), ev("health_status: healthy")));
    CHECK_FALSE(event_matches(filter({"event=health"}), ev("health_status: healthy")));
}

TEST_CASE("EventFilter_ImageWithOrWithoutTagLabelAndType")
{
    CHECK(event_matches(filter({"image=127.0.0.1:5000/app:1"}), ev("start")));
    CHECK(event_matches(filter({"image=127.0.0.1:5000/app"}), ev("start")));
    CHECK_FALSE(event_matches(filter({"image=127.0.0.1:5000/app:2"}), ev("start")));
    CHECK(event_matches(filter({"label=tier"}), ev("start")));
    CHECK(event_matches(filter({"label=tier=front"}), ev("start")));
    CHECK_FALSE(event_matches(filter({"label=tier=back"}), ev("start")));
    CHECK(event_matches(filter({"type=container"}), ev("start")));
    CHECK_FALSE(event_matches(filter({"type=image"}), ev("start")));
}

TEST_CASE("EventFilter_NetworkAndVolumeEventsByTheirOwnKeysAndByContainer")
{
    Event connect;
    connect.type = "network";
    connect.action = "connect";
    connect.id = "9d1e2f3a4b5c";
    connect.attributes = {{"name", "front"}, {"type", "bridge"}, {"container", "4f2a9c0d11"}};
    Event vol;
    vol.type = "volume";
    vol.action = "create";
    vol.id = "data";
    vol.attributes = {{"driver", "local"}};

    CHECK(event_matches(filter({"network=front"}), connect));
    CHECK(event_matches(filter({"network=9d1e"}), connect));
    CHECK_FALSE(event_matches(filter({"network=fro"}), connect)); // a name matches whole
    CHECK_FALSE(event_matches(filter({"network=front"}), vol));
    CHECK(event_matches(filter({"volume=data"}), vol));
    CHECK_FALSE(event_matches(filter({"volume=data"}), connect));
    // container= finds a network's connect by the container it names, not by the network's name.
    CHECK(event_matches(filter({"container=4f2a"}), connect));
    CHECK_FALSE(event_matches(filter({"container=front"}), connect));
    CHECK_FALSE(event_matches(filter({"container=data"}), vol));
    CHECK(event_matches(filter({"type=network", "event=connect"}), connect));
}

TEST_CASE("EventTime_UnixRfc3339DateAndDurations")
{
    const int64_t now = 1'700'000'000'000'000'000;
    CHECK(*parse_event_time("1700000000", now) == 1'700'000'000'000'000'000);
    CHECK(*parse_event_time("1700000000.25", now) == 1'700'000'000'250'000'000);
    CHECK(*parse_event_time("2023-11-14T22:13:20Z", now) == 1'700'000'000'000'000'000);
    CHECK(*parse_event_time("2023-11-14T23:13:20+01:00", now) == 1'700'000'000'000'000'000);
    CHECK(*parse_event_time("2023-11-14T22:13:20", now) == 1'700'000'000'000'000'000);
    CHECK(*parse_event_time("2023-11-14", now) == 1'699'920'000'000'000'000);
    CHECK(*parse_event_time("10m", now) == now - 600'000'000'000);
    CHECK(*parse_event_time("1h30m", now) == now - 5'400'000'000'000);
    auto bad = parse_event_time("yesterday", now);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message() ==
          "invalid value \"yesterday\" for a time: expected Unix seconds, RFC 3339 or a duration such as 10m");
    CHECK_FALSE(parse_event_time("1.2.3", now));
    CHECK_FALSE(parse_event_time("", now));
}

}
