#include "engine/base/result.h"

#include <cerrno>
#include <doctest/doctest.h>

using namespace wharf;

TEST_SUITE("base.error") {

TEST_CASE("Error_RenderWithSnippetAndCaret")
{
    Error e(Errc::Invalid, "invalid port \"80:http\": container port must be a number");
    e.context("services.web.ports[0]");
    e.at({"compose.yaml", 14, 9, "      - \"80:http\""});
    CHECK(e.render() ==
          "compose.yaml:14:9: services.web.ports[0]: invalid port \"80:http\": container port must be a number\n"
          "   14 |       - \"80:http\"\n"
          "      |         ^\n");
}

TEST_CASE("Error_ContextChainReadsOutermostFirst")
{
    auto e = Error::from_errno("mount(2) `overlay`", EINVAL);
    e.context("mount volume \"pgdata\"").context("create container \"shop-db-1\"").context("up: service \"db\"");
    CHECK(e.summary() ==
          "up: service \"db\": create container \"shop-db-1\": mount volume \"pgdata\": mount(2) `overlay`: Invalid argument");
    CHECK(e.code() == Errc::Sys);
    CHECK(e.sys_errno() == EINVAL);
}

TEST_CASE("Error_FromErrnoMapsCategories")
{
    CHECK(Error::from_errno("open x", ENOENT).code() == Errc::NotFound);
    CHECK(Error::from_errno("bind", EADDRINUSE).code() == Errc::Conflict);
    CHECK(Error::from_errno("mount", EPERM).code() == Errc::Permission);
}

TEST_CASE("Error_SnippetKeepsTabsAndWideLineNumbers")
{
    SourceLoc loc{"f.yaml", 12345, 3, "\tab"};
    CHECK(render_snippet(loc) == " 12345 | \tab\n       | \t ^\n");
}

} // TEST_SUITE

namespace {
Result<int> parse_positive(int v)
{
    if (v <= 0)
        return Error(Errc::Invalid, "not positive: " + std::to_string(v));
    return v;
}

Result<int> doubled(int v)
{
    int x = TRY_CTX(parse_positive(v), "double");
    return 2 * x;
}

Result<void> check(int v)
{
    TRY(parse_positive(v));
    return ok();
}
} // namespace

TEST_SUITE("base.result") {

TEST_CASE("Result_TryPropagatesValueAndError")
{
    auto good = doubled(4);
    REQUIRE(good);
    CHECK(*good == 8);
    auto bad = doubled(-1);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().summary() == "double: not positive: -1");
    CHECK(check(3).has_value());
    CHECK_FALSE(check(0).has_value());
}

} // TEST_SUITE
