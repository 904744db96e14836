// The real compose engine adapter (tools/wharf/compose_engine.cpp) against the same suite
// as the fake, in a private state root with the busybox fixture image.
#include "tests/support/compose_engine_conformance.h"
#include "tools/wharf/compose_engine.h"

#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <string>
#include <unistd.h>

using namespace wharf;

TEST_SUITE("compose.execute.priv") {

TEST_CASE("WharfComposeEngine_PassesTheConformanceSuite")
{
    char tmpl[] = "/tmp/wharf-compose-conf-XXXXXX";
    REQUIRE(::mkdtemp(tmpl));
    std::string root = std::string(tmpl) + "/state";
    struct Cleanup {
        std::string dir;
        ~Cleanup()
        {
            std::string cmd = "WHARF_ROOT=" + dir + "/state " WHARF_BINARY " rm -f $(WHARF_ROOT=" + dir +
                              "/state " WHARF_BINARY " ps -a -q) >/dev/null 2>&1";
            (void)std::system(cmd.c_str());
            std::filesystem::remove_all(dir);
        }
    } cleanup{tmpl};
    std::string fixture = "WHARF_ROOT=" + root + " " WHARF_SOURCE_DIR "/tools/fixtures/busybox-image " WHARF_BINARY
                          " >/dev/null";
    REQUIRE(std::system(fixture.c_str()) == 0);
    auto engine = cli::open_compose_engine(root, WHARF_BINARY);
    if (!engine)
        FAIL(engine.error().summary());
    compose::test::check_compose_engine_conformance(**engine, "localhost/busybox:latest",
                                                    "conf" + std::to_string(::getpid()));
}

} // TEST_SUITE
