#include "engine/container/create_request.h"
#include "engine/container/user.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine;

TEST_SUITE("engine.container.create_request") {

TEST_CASE("Resolve_UserCmdReplacesImageCmdKeepingEntrypoint")
{
    CreateRequest r;
    r.image.entrypoint = {"/entry.sh"};
    r.image.cmd = {"serve"};
    r.config.cmd = {"debug"};
    auto c = resolve_config(r);
    CHECK(c.entrypoint == std::vector<std::string>{"/entry.sh"});
    CHECK(c.cmd == std::vector<std::string>{"debug"});
    r.config.cmd.clear();
    CHECK(resolve_config(r).cmd == std::vector<std::string>{"serve"});
}

TEST_CASE("Resolve_EntrypointFlagDropsImageCmd")
{
    CreateRequest r;
    r.image.entrypoint = {"/entry.sh"};
    r.image.cmd = {"serve"};
    r.entrypoint_set = true;
    r.config.entrypoint = {"sh"};
    auto c = resolve_config(r);
    CHECK(c.entrypoint == std::vector<std::string>{"sh"});
    CHECK(c.cmd.empty());
}

TEST_CASE("Resolve_EnvPrecedence")
{
    CreateRequest r;
    r.config.hostname = "abc";
    r.config.tty = true;
    r.image.env = {"PATH=/opt/bin", "A=image", "B=image"};
    r.user_env = {"B=file", "B=flag", "C=flag"};
    auto c = resolve_config(r);
    CHECK(c.env == std::vector<std::string>{"PATH=/opt/bin", "HOSTNAME=abc", "TERM=xterm", "A=image", "B=flag", "C=flag"});
}

TEST_CASE("Resolve_ImageVolumesBecomeAnonymousUnlessCovered")
{
    CreateRequest r;
    r.image.volumes = {"/data", "/logs"};
    r.config.mounts.push_back({MountType::Bind, "/h", "/logs", false, true, false, false, {}});
    auto c = resolve_config(r);
    REQUIRE(c.mounts.size() == 2);
    CHECK(c.mounts[1].target == "/data");
    CHECK(c.mounts[1].anonymous);
}

TEST_CASE("Resolve_NoHealthcheckDisables")
{
    CreateRequest r;
    r.image.healthcheck = HealthConfig{{"CMD", "true"}};
    r.no_healthcheck = true;
    CHECK(resolve_config(r).healthcheck->test == std::vector<std::string>{"NONE"});
}

TEST_CASE("User_ResolvesNamesIdsAndGroups")
{
    std::string passwd = "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n";
    std::string group = "root:x:0:\napp:x:1000:\nwheel:x:10:app,other\n";
    auto app = resolve_user("app", passwd, group);
    REQUIRE(app);
    CHECK(app->uid == 1000);
    CHECK(app->gid == 1000);
    CHECK(app->home == "/home/app");
    CHECK(app->groups == std::vector<gid_t>{10});
    auto ids = resolve_user("1234:55", passwd, group);
    REQUIRE(ids);
    CHECK(ids->uid == 1234);
    CHECK(ids->gid == 55);
    auto missing = resolve_user("ghost", passwd, group);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().summary() == "unable to find user ghost: no matching entries in passwd file");
}

}
