#include "tools/wharf/format.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace wharf;
using Json = nlohmann::ordered_json;

TEST_SUITE("cli.format") {

TEST_CASE("Format_FieldPathsAndFunctions")
{
    Json v = Json::parse(R"({"State":{"Pid":42,"Status":"running"},"Config":{"Env":["A=1","B=2"],"Labels":{"k":"v"}},"Name":"/web"})");
    CHECK(*cli::format_one("{{.State.Pid}}", v) == "42");
    CHECK(*cli::format_one("{{json .Config.Labels}}", v) == "{\"k\":\"v\"}");
    CHECK(*cli::format_one("{{join .Config.Env \",\"}}", v) == "A=1,B=2");
    CHECK(*cli::format_one("{{index .Config.Labels \"k\"}}", v) == "v");
    CHECK(*cli::format_one("{{upper .State.Status}}", v) == "RUNNING");
    CHECK(*cli::format_one("{{range .Config.Env}}[{{.}}]{{end}}", v) == "[A=1][B=2]");
    CHECK(*cli::format_one("{{if .State.Pid}}up{{else}}down{{end}}", v) == "up");
    CHECK(*cli::format_one("{{.State.Status | upper}}", v) == "RUNNING");
    auto bad = cli::format_one("{{.State.Nope.X}}", v);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().summary() == "template: :1: can't evaluate field Nope");
}

TEST_CASE("Format_MissingMapKeyIsNoValue")
{
    // Go's text/template: a missing key of a map is "<no value>"; a missing struct field fails.
    Json ev = Json::parse(R"({"Type":"container","Actor":{"ID":"abc","Attributes":{"name":"web"}}})");
    CHECK(*cli::format_one("{{.Actor.Attributes.name}}", ev) == "web");
    CHECK(*cli::format_one("{{.Actor.Attributes.exitCode}}", ev) == "<no value>");
    Json c = Json::parse(R"({"Config":{"Labels":{"k":"v"}},"NetworkSettings":{"Networks":null}})");
    CHECK(*cli::format_one("[{{.Config.Labels.nope}}]", c) == "[<no value>]");
    CHECK(*cli::format_one("{{.NetworkSettings.Networks.bridge}}", c) == "<no value>");
    CHECK(*cli::format_one("{{if .Config.Labels.nope}}y{{else}}n{{end}}", c) == "n");
    auto bad = cli::format_one("{{.Config.Nope}}", c);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().summary() == "template: :1: can't evaluate field Nope");
    auto deeper = cli::format_one("{{.Config.Labels.nope.x}}", c);
    REQUIRE_FALSE(deeper);
    CHECK(deeper.error().summary() == "template: :1: can't evaluate field x in type interface {}");
}

TEST_CASE("Format_TableAlignsLikeTabwriter")
{
    std::vector<Json> rows = {Json{{"ID", "abc"}, {"Names", "web"}}, Json{{"ID", "abcdef012345"}, {"Names", "db"}}};
    auto out = cli::format_rows("table {{.ID}}\\t{{.Names}}", rows, "", {{"ID", "CONTAINER ID"}});
    REQUIRE(out);
    CHECK(*out == "CONTAINER ID   NAMES\nabc            web\nabcdef012345   db\n");
    auto plain = cli::format_rows("{{.Names}}\\t{{.ID}}", rows, "", {});
    CHECK(*plain == "web\tabc\ndb\tabcdef012345\n");
    auto json = cli::format_rows("json", rows, "", {});
    CHECK(*json == "{\"ID\":\"abc\",\"Names\":\"web\"}\n{\"ID\":\"abcdef012345\",\"Names\":\"db\"}\n");
}

TEST_CASE("Format_LabelMethod")
{
    std::vector<Json> rows = {Json{{"Names", "web"}, {"LabelsMap", {{"com.docker.compose.service", "web"}}}}};
    auto out = cli::format_rows("{{.Label \"com.docker.compose.service\"}}", rows, "", {});
    CHECK(*out == "web\n");
}

}
