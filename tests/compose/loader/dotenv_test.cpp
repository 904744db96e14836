#include "compose/loader/dotenv.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::compose::loader;

namespace {
std::optional<std::string> no_env(const std::string&) { return std::nullopt; }
} // namespace

TEST_SUITE("compose.loader.dotenv") {

TEST_CASE("DotEnv_QuotesCommentsExport")
{
    auto r = parse_dotenv("# comment\n"
                          "A=1\n"
                          "export B=two words # trailing\n"
                          "C='single $A'\n"
                          "D=\"double\\n$A\"\n"
                          "E=\n"
                          "F=${A}-x\n"
                          "G=\"multi\nline\"\n",
        ".env", no_env);
    REQUIRE(r);
    auto& e = *r;
    CHECK(e.at("A") == "1");
    CHECK(e.at("B") == "two words");
    CHECK(e.at("C") == "single $A");
    CHECK(e.at("D") == "double\n1");
    CHECK(e.at("E") == "");
    CHECK(e.at("F") == "1-x");
    CHECK(e.at("G") == "multi\nline");
}

TEST_CASE("DotEnv_LookupWinsOverEarlierKeys")
{
    auto r = parse_dotenv("A=1\nB=${A}\nC\n", ".env", [](const std::string& k) -> std::optional<std::string> {
        if (k == "A")
            return "5";
        if (k == "C")
            return "from-env";
        return std::nullopt;
    });
    REQUIRE(r);
    CHECK(r->at("B") == "5");
    CHECK(r->at("C") == "from-env");
}

TEST_CASE("DotEnv_InvalidKeyNamesTheLine")
{
    auto r = parse_dotenv("A=1\nBAD KEY=2\n", "app.env", no_env);
    REQUIRE_FALSE(r);
    CHECK(r.error().message() == "app.env:2: invalid variable name \"BAD KEY\"");
}

TEST_CASE("DotEnv_RawFormatKeepsValues")
{
    auto r = parse_dotenv("A=\"$X\" # not a comment\n", "raw.env", no_env, true);
    REQUIRE(r);
    CHECK(r->at("A") == "\"$X\" # not a comment");
}

} // TEST_SUITE
