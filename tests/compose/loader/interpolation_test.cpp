#include "compose/loader/interpolation.h"
#include "tests/compose/loader/load_helper.h"

using namespace wharf;
using namespace wharf::compose;
using namespace wharf::compose::loader;
using namespace wharf::compose::test;

namespace {

std::string interp(const std::string& s, const Environment& env = {{"A", "a"}, {"EMPTY", ""}})
{
    std::set<std::string> unset;
    auto r = interpolate(s, env, unset);
    REQUIRE(r);
    return *r;
}

std::string interp_error(const std::string& s, const Environment& env = {{"EMPTY", ""}})
{
    std::set<std::string> unset;
    auto r = interpolate(s, env, unset);
    REQUIRE_FALSE(r);
    return r.error().message();
}

} // namespace

TEST_SUITE("compose.loader.interpolation") {

TEST_CASE("Interpolation_AllOperators")
{
    CHECK(interp("$A ${A} x${A}y") == "a a xay");
    CHECK(interp("${UNSET:-d} ${EMPTY:-d} ${EMPTY-d} ${UNSET-d}") == "d d  d");
    CHECK(interp("${A:+alt} ${EMPTY:+alt} ${EMPTY+alt} ${UNSET+alt}") == "alt  alt ");
    CHECK(interp("${A:?must} ${EMPTY?must}") == "a ");
    CHECK(interp("$$ $${A} $$A") == "$ ${A} $A");
    CHECK(interp("${UNSET:-${A}} ${UNSET:-${UNSET2:-deep}}") == "a deep");
    CHECK(interp("a $ b $1 $}") == "a $ b $1 $}");
    CHECK(interp("${A-x?y}") == "a");
    CHECK(interp("${UNSET-x?y}") == "x?y");
}

TEST_CASE("Interpolation_RequiredVariables")
{
    CHECK(interp_error("${UNSET:?please set it}") == "required variable UNSET is missing a value: please set it");
    CHECK(interp_error("${EMPTY:?}") == "required variable EMPTY is missing a value");
    CHECK(interp_error("${UNSET?}") == "required variable UNSET is missing a value");
}

TEST_CASE("Interpolation_InvalidFormats")
{
    CHECK(interp_error("${}") ==
          "invalid interpolation format: \"${}\"; you may need to escape any $ with another $");
    CHECK(interp_error("x ${ foo}") ==
          "invalid interpolation format: \"x ${ foo}\"; you may need to escape any $ with another $");
    CHECK(interp_error("${foo!}") ==
          "invalid interpolation format: \"${foo!}\"; you may need to escape any $ with another $");
    CHECK(interp_error("${foo") ==
          "invalid interpolation format: \"${foo\"; you may need to escape any $ with another $");
}

TEST_CASE("Interpolation_UnsetVariablesWarn")
{
    auto r = load("services:\n  web:\n    image: \"nginx:${TAG}\"\n");
    REQUIRE(r);
    CHECK(r->project.services.at("web").image == "nginx:");
    REQUIRE(r->warnings.size() == 1);
    CHECK(r->warnings[0] == "The \"TAG\" variable is not set. Defaulting to a blank string.");
}

TEST_CASE("Interpolation_ErrorsPointAtTheValue")
{
    CHECK(error_of("services:\n  web:\n    image: ${IMAGE:?set IMAGE}\n") ==
          "compose.yaml:3:12: services.web.image: required variable IMAGE is missing a value: set IMAGE");
}

TEST_CASE("Interpolation_KeysAreNotInterpolated")
{
    auto p = project("services:\n  web:\n    image: x\n    labels:\n      $K: ${V}\n", {{"K", "k"}, {"V", "v"}});
    CHECK(p.services.at("web").labels.at("$K") == "v");
}

TEST_CASE("Interpolation_DotEnvFillsUnsetVariablesOnly")
{
    FakeFs fs;
    fs.files["/project/compose.yaml"] = "services:\n  web:\n    image: \"${REPO}:${TAG}\"\n";
    fs.files["/project/.env"] = "REPO=fromdotenv\nTAG=1.0\n";
    auto r = load_project(fs.options({}, {{"TAG", "2.0"}}));
    REQUIRE(r);
    CHECK(r->project.services.at("web").image == "fromdotenv:2.0");
}

TEST_CASE("Interpolation_EnvFileOptionReplacesDotEnv")
{
    FakeFs fs;
    fs.files["/project/compose.yaml"] = "services:\n  web:\n    image: \"${REPO}\"\n";
    fs.files["/project/.env"] = "REPO=dotenv\n";
    fs.files["/project/prod.env"] = "REPO=prod\n";
    auto o = fs.options();
    o.env_files = {"prod.env"};
    auto r = load_project(o);
    REQUIRE(r);
    CHECK(r->project.services.at("web").image == "prod");
}

} // TEST_SUITE
