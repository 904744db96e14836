#include "tests/support/compose_engine_conformance.h"
#include "tests/support/fake_compose_engine.h"

#include <doctest/doctest.h>

using namespace wharf::compose::test;

TEST_SUITE("compose.execute") {

TEST_CASE("FakeComposeEngine_PassesTheConformanceSuite")
{
    FakeClock clock;
    FakeComposeEngine engine(clock);
    engine.add_image("localhost/busybox:latest", "sha256:1");
    engine.add_path("/");
    check_compose_engine_conformance(engine, "localhost/busybox:latest", "conf");
}

} // TEST_SUITE
