#include "tests/compose/loader/load_helper.h"

using namespace wharf;
using namespace wharf::compose;
using namespace wharf::compose::test;

TEST_SUITE("compose.loader.build") {

TEST_CASE("Build_StringIsTheContextWithTheDefaultDockerfile")
{
    auto s = service("services:\n  web:\n    build: ./app\n");
    REQUIRE(s.build);
    CHECK(s.build->context == "/project/app");
    CHECK(s.build->dockerfile == "Dockerfile");
    CHECK(s.image.empty());
    CHECK(s.image_name("shop") == "shop-web");
}

TEST_CASE("Build_LongFormPathsArgsAndLists")
{
    auto s = service("services:\n  web:\n    image: localhost/web\n    build:\n      context: app\n"
                     "      dockerfile: ../Dockerfile.web\n      args:\n        - A=1\n        - B\n"
                     "      target: prod\n      cache_from: [a]\n      tags: [t1]\n      platforms: [linux/amd64]\n"
                     "      additional_contexts: {base: ./base, img: 'docker-image://localhost/x'}\n",
        "web", {{"B", "from-env"}});
    const auto& b = *s.build;
    CHECK(b.context == "/project/app");
    CHECK(b.dockerfile == "../Dockerfile.web"); // relative to the context, as compose-go keeps it
    CHECK(b.args == MappingWithEquals{{"A", "1"}, {"B", "from-env"}});
    CHECK(b.target == "prod");
    CHECK(b.cache_from == std::vector<std::string>{"a"});
    CHECK(b.tags == std::vector<std::string>{"t1"});
    CHECK(b.platforms == std::vector<std::string>{"linux/amd64"});
    CHECK(b.additional_contexts == Mapping{{"base", "/project/base"}, {"img", "docker-image://localhost/x"}});
}

TEST_CASE("Build_RemoteContextsAndInlineDockerfileAreKept")
{
    auto s = service("services:\n  web:\n    build:\n      context: https://github.com/x/y.git#main\n"
                     "      dockerfile_inline: FROM scratch\n");
    CHECK(s.build->context == "https://github.com/x/y.git#main");
    CHECK(s.build->dockerfile.empty());
    CHECK(s.build->dockerfile_inline == "FROM scratch");
}

TEST_CASE("Build_ContextDefaultsToTheProjectDirectory")
{
    auto s = service("services:\n  web:\n    build:\n      dockerfile: D\n");
    CHECK(s.build->context == "/project");
    CHECK(s.build->dockerfile == "D");
}

TEST_CASE("Build_Errors")
{
    CHECK(error_of("services:\n  web:\n    build:\n      context: .\n      dockerfil: D\n") ==
          "compose.yaml:5:7: services.web.build: additional property \"dockerfil\" is not allowed (did you mean "
          "\"dockerfile\"?)");
    CHECK(error_of("services:\n  web:\n    build:\n      args:\n        A: [1]\n") ==
          "compose.yaml:5:12: services.web.build.args.A: must be a string, a number, a boolean or null, not a list");
    CHECK(error_of("services:\n  web:\n    command: x\n") ==
          "compose.yaml:2:3: services.web: has neither an image nor a build context specified");
}

} // TEST_SUITE
