// Project name precedence and normalisation, file discovery, COMPOSE_FILE, -f -, --project-directory.
#include "tests/compose/loader/load_helper.h"

using namespace wharf;
using namespace wharf::compose;
using namespace wharf::compose::test;

TEST_SUITE("compose.loader.project") {

TEST_CASE("ProjectName_Precedence")
{
    FakeFs fs;
    fs.files["/work/My_App/compose.yaml"] = "name: from-file\nservices:\n  web:\n    image: x\n";
    fs.files["/work/My_App/.env"] = "COMPOSE_PROJECT_NAME=from-dotenv\n";
    auto o = fs.options();
    o.working_dir = "/work/My_App";
    o.project_name = "from-flag";
    CHECK(load_project(o)->project.name == "from-flag");
    o.project_name.clear();
    o.environment = {{"COMPOSE_PROJECT_NAME", "from-env"}};
    CHECK(load_project(o)->project.name == "from-env");
    o.environment.clear();
    CHECK(load_project(o)->project.name == "from-dotenv");
    fs.files.erase("/work/My_App/.env");
    CHECK(load_project(o)->project.name == "from-file");
    fs.files["/work/My_App/compose.yaml"] = "services:\n  web:\n    image: x\n";
    CHECK(load_project(o)->project.name == "my_app"); // the directory, normalised
}

TEST_CASE("ProjectName_InterpolatedAndValidated")
{
    CHECK(project("name: app-${ENV}\nservices: {}\n", {{"ENV", "prod"}}).name == "app-prod");
    CHECK(error_of("name: MyApp\nservices: {}\n") ==
          "compose.yaml:1:7: name: invalid project name \"MyApp\": must consist only of lowercase alphanumeric "
          "characters, hyphens, and underscores as well as start with a letter or number");
    FakeFs fs;
    fs.files["/project/compose.yaml"] = "services: {}\n";
    auto o = fs.options({"compose.yaml"});
    o.project_name = "-bad";
    auto r = load_project(o);
    REQUIRE_FALSE(r);
    CHECK(r.error().message() == "invalid project name \"-bad\": must consist only of lowercase alphanumeric "
                                 "characters, hyphens, and underscores as well as start with a letter or number");
}

TEST_CASE("ProjectName_Normalisation")
{
    CHECK(normalize_project_name("My App.v2") == "myappv2");
    CHECK(normalize_project_name("__x-Y") == "x-y");
    CHECK(is_valid_project_name("a_b-1"));
    CHECK_FALSE(is_valid_project_name("_a"));
    CHECK_FALSE(is_valid_project_name("A"));
}

TEST_CASE("Discovery_SearchesUpwardWithOverrideAndPreferenceOrder")
{
    FakeFs fs;
    fs.files["/work/app/docker-compose.yml"] = "services:\n  web:\n    image: old\n";
    fs.files["/work/app/compose.yaml"] = "services:\n  web:\n    image: new\n";
    fs.files["/work/app/compose.override.yaml"] = "services:\n  web:\n    labels: {o: '1'}\n";
    auto exists = [&](const std::string& p) { return fs.files.count(p) > 0; };
    CHECK(discover_compose_files("/work/app/src/deep", exists) ==
          std::vector<std::string>{"/work/app/compose.yaml", "/work/app/compose.override.yaml"});
    CHECK(discover_compose_files("/elsewhere", exists).empty());
    auto o = fs.options();
    o.working_dir = "/work/app/src";
    auto r = load_project(o);
    REQUIRE(r);
    CHECK(r->project.working_dir == "/work/app"); // the first file's directory
    CHECK(r->project.name == "app");
    CHECK(r->project.services.at("web").image == "new");
    CHECK(r->project.services.at("web").labels == Mapping{{"o", "1"}});
}

TEST_CASE("Discovery_NothingFound")
{
    FakeFs fs;
    auto r = load_project(fs.options());
    REQUIRE_FALSE(r);
    CHECK(r.error().code() == Errc::NotFound);
    CHECK(r.error().message() == "no configuration file provided: not found");
}

TEST_CASE("Discovery_ComposeFileVariableWithSeparator")
{
    FakeFs fs;
    fs.files["/project/a.yaml"] = "services:\n  web:\n    image: a\n";
    fs.files["/project/b.yaml"] = "services:\n  web:\n    image: b\n";
    auto r = load_project(fs.options({}, {{"COMPOSE_FILE", "a.yaml:b.yaml"}}));
    REQUIRE(r);
    CHECK(r->project.services.at("web").image == "b");
    auto s = load_project(fs.options({}, {{"COMPOSE_FILE", "b.yaml;a.yaml"}, {"COMPOSE_PATH_SEPARATOR", ";"}}));
    REQUIRE(s);
    CHECK(s->project.services.at("web").image == "a");
}

TEST_CASE("Discovery_StdinAndProjectDirectory")
{
    FakeFs fs;
    fs.files["-"] = "services:\n  web:\n    image: x\n    volumes: [./data:/data]\n";
    auto o = fs.options({"-"});
    o.project_directory = "/srv/site";
    auto r = load_project(o);
    REQUIRE_MESSAGE(bool(r), (r ? std::string() : r.error().render()));
    CHECK(r->project.name == "site");
    CHECK(r->project.working_dir == "/srv/site");
    CHECK(r->project.services.at("web").volumes[0].source == "/srv/site/data");
    CHECK(r->project.compose_files == std::vector<std::string>{"-"});
}

TEST_CASE("Discovery_MissingFileGivenWithF")
{
    FakeFs fs;
    auto r = load_project(fs.options({"nope.yaml"}));
    REQUIRE_FALSE(r);
    CHECK(r.error().code() == Errc::NotFound);
    CHECK(r.error().message() == "open /project/nope.yaml: no such file or directory");
}

} // TEST_SUITE
