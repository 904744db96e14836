// .dockerignore: Docker's pattern rules, `**`, parent-directory matches, `!` exceptions.
#include "engine/build/dockerignore.h"

#include <doctest/doctest.h>

using namespace wharf::engine::build;

TEST_SUITE("build.dockerignore")
{

    TEST_CASE("Dockerignore_SimpleGlobsDoNotCrossSlash")
    {
        auto m = IgnoreMatcher::parse("# comment\n*.md\n\n/temp?\n");
        CHECK(m.excluded("README.md"));
        CHECK_FALSE(m.excluded("docs/README.md"));
        CHECK(m.excluded("temp1"));
        CHECK(m.excluded("temp1/inner/file"));
        CHECK_FALSE(m.excluded("temp12"));
    }

    TEST_CASE("Dockerignore_DoubleStarMatchesAnyDepth")
    {
        auto m = IgnoreMatcher::parse("**/*.go\nbuild/**/cache\n");
        CHECK(m.excluded("main.go"));
        CHECK(m.excluded("a/b/c.go"));
        CHECK(m.excluded("build/cache"));
        CHECK(m.excluded("build/x/y/cache/file"));
        CHECK_FALSE(m.excluded("a/b/c.gox"));
    }

    TEST_CASE("Dockerignore_DirectoryExcludesItsContents")
    {
        auto m = IgnoreMatcher::parse("node_modules\n./.git/\n");
        CHECK(m.excluded("node_modules"));
        CHECK(m.excluded("node_modules/lodash/index.js"));
        CHECK(m.excluded(".git/HEAD"));
        CHECK_FALSE(m.excluded("src/node_modules_x"));
    }

    TEST_CASE("Dockerignore_ExceptionsLastMatchWins")
    {
        auto m = IgnoreMatcher::parse("*.md\n!README.md\nREADME-secret.md\n");
        CHECK(m.has_exceptions());
        CHECK(m.excluded("CHANGES.md"));
        CHECK_FALSE(m.excluded("README.md"));
        CHECK(m.excluded("README-secret.md"));
        auto d = IgnoreMatcher::parse("logs\n!logs/keep.txt\n");
        CHECK(d.excluded("logs/a.txt"));
        CHECK_FALSE(d.excluded("logs/keep.txt"));
    }

    TEST_CASE("Dockerignore_ClassesAndCleaning")
    {
        auto m = IgnoreMatcher::parse("file[0-9].txt\na/../b\n  spaced  \n");
        CHECK(m.excluded("file3.txt"));
        CHECK_FALSE(m.excluded("filex.txt"));
        CHECK(m.excluded("b"));
        CHECK(m.excluded("spaced"));
        CHECK(clean_path("./a//b/../c/") == "a/c");
        CHECK(clean_path("/") == ".");
    }

    TEST_CASE("Dockerignore_EmptyExcludesNothing")
    {
        auto m = IgnoreMatcher::parse("\n# nothing\n");
        CHECK(m.empty());
        CHECK_FALSE(m.excluded("anything"));
    }

} // TEST_SUITE
