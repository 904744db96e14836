#include "tests/compose/loader/load_helper.h"

using namespace wharf;
using namespace wharf::compose;
using namespace wharf::compose::test;

namespace {

const char* kFile = "services:\n  web:\n    image: x\n  debug:\n    image: x\n    profiles: [debug]\n"
                    "  tools:\n    image: x\n    profiles: [tools, debug]\n    depends_on: [helper]\n"
                    "  helper:\n    image: x\n    profiles: [helper]\n";

Result<LoadedProject> load_with(std::vector<std::string> profiles, std::vector<std::string> services = {},
    std::map<std::string, std::string> env = {})
{
    FakeFs fs;
    fs.files["/project/compose.yaml"] = kFile;
    auto o = fs.options({"compose.yaml"}, std::move(env));
    o.profiles = std::move(profiles);
    o.services = std::move(services);
    return load_project(o);
}

} // namespace

TEST_SUITE("compose.loader.profiles") {

TEST_CASE("Profiles_ServicesWithoutProfilesAreAlwaysEnabled")
{
    auto r = load_with({});
    REQUIRE(r);
    CHECK(r->project.service_names() == std::vector<std::string>{"web"});
    CHECK(r->project.disabled_services.size() == 3);
    CHECK(r->project.all_profiles() == std::vector<std::string>{"debug", "helper", "tools"});
}

TEST_CASE("Profiles_ActivatedByOptionOrEnvironment")
{
    auto r = load_with({"helper"});
    REQUIRE(r);
    CHECK(r->project.service_names() == std::vector<std::string>{"helper", "web"});
    auto e = load_with({}, {}, {{"COMPOSE_PROFILES", "tools,helper"}});
    REQUIRE(e);
    CHECK(e->project.service_names() == std::vector<std::string>{"helper", "tools", "web"});
    auto all = load_with({"*"});
    REQUIRE(all);
    CHECK(all->project.service_names().size() == 4);
}

TEST_CASE("Profiles_ServicesNamedOnTheCommandLineAreEnabledWithTheirDependencies")
{
    auto r = load_with({}, {"tools"});
    REQUIRE(r);
    CHECK(r->project.service_names() == std::vector<std::string>{"helper", "tools", "web"});
}

TEST_CASE("Profiles_DependencyOnADisabledServiceIsAnError")
{
    auto r = load_with({"tools"});
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() ==
          "compose.yaml:10:18: services.tools.depends_on: depends on service \"helper\" which is disabled by its profiles");
}

TEST_CASE("Profiles_UnknownServiceOnTheCommandLine")
{
    auto r = load_with({}, {"nope"});
    REQUIRE_FALSE(r);
    CHECK(r.error().message() == "no such service: nope");
}

} // TEST_SUITE
