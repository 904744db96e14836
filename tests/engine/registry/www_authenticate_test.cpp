#include "engine/registry/www_authenticate.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine::registry;

TEST_SUITE("engine.registry.www_authenticate") {

TEST_CASE("WwwAuthenticate_BearerWithCommasInsideQuotedScope")
{
    auto r = parse_www_authenticate(
        R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push")");
    REQUIRE(r);
    REQUIRE(r->size() == 1);
    CHECK((*r)[0].scheme == "bearer");
    CHECK((*r)[0].param("realm") == "https://auth.docker.io/token");
    CHECK((*r)[0].param("service") == "registry.docker.io");
    CHECK((*r)[0].param("scope") == "repository:samalba/my-app:pull,push");
}

TEST_CASE("WwwAuthenticate_BasicRealmAndCaseInsensitiveNames")
{
    auto r = parse_www_authenticate(R"(BASIC Realm="wharf test")");
    REQUIRE(r);
    REQUIRE(r->size() == 1);
    CHECK((*r)[0].scheme == "basic");
    CHECK((*r)[0].param("realm") == "wharf test");
}

TEST_CASE("WwwAuthenticate_SeveralChallengesInOneHeader")
{
    auto r = parse_www_authenticate(R"(Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple")");
    REQUIRE(r);
    REQUIRE(r->size() == 2);
    CHECK((*r)[0].scheme == "newauth");
    CHECK((*r)[0].param("type") == "1");
    CHECK((*r)[0].param("title") == "Login to \"apps\"");
    CHECK((*r)[1].scheme == "basic");
    CHECK((*r)[1].param("realm") == "simple");
}

TEST_CASE("WwwAuthenticate_ErrorAndInsufficientScope")
{
    auto r = parse_www_authenticate(
        R"(Bearer realm="http://127.0.0.1:9/token", service="s", scope="repository:a/b:pull repository:c:pull", error="insufficient_scope")");
    REQUIRE(r);
    REQUIRE(r->size() == 1);
    CHECK((*r)[0].param("error") == "insufficient_scope");
    CHECK((*r)[0].param("scope") == "repository:a/b:pull repository:c:pull");
}

TEST_CASE("WwwAuthenticate_SchemesWithoutParamsAndToken68")
{
    auto r = parse_www_authenticate("Basic, Negotiate YWJjZA==, Bearer realm=x");
    REQUIRE(r);
    REQUIRE(r->size() == 3);
    CHECK((*r)[0].scheme == "basic");
    CHECK((*r)[0].params.empty());
    CHECK((*r)[1].scheme == "negotiate");
    CHECK((*r)[1].token68 == "YWJjZA==");
    CHECK((*r)[2].param("realm") == "x");
}

TEST_CASE("WwwAuthenticate_MalformedInputNamesTheColumn")
{
    auto r = parse_www_authenticate(R"(Bearer realm="https://auth)");
    REQUIRE_FALSE(r);
    CHECK(r.error().message() == "WWW-Authenticate: unterminated quoted string at column 27");
    auto r2 = parse_www_authenticate(R"(Bearer realm="a" service="b")");
    REQUIRE_FALSE(r2);
    CHECK(r2.error().message() == "WWW-Authenticate: expected ',' between parameters at column 18");
    auto r3 = parse_www_authenticate("=x");
    REQUIRE_FALSE(r3);
    CHECK(r3.error().message() == "WWW-Authenticate: expected an authentication scheme at column 1");
}

} // TEST_SUITE
