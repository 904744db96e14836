// `cp`'s argument and destination rules, as Docker's.
#include "tools/wharf/cp_paths.h"

#include <doctest/doctest.h>

using namespace wharf::cli;

TEST_SUITE("cli.cp")
{

    TEST_CASE("CpSpec_ContainerOrHostPath")
    {
        auto c = split_cp_spec("web:/etc/hosts");
        CHECK(c.container == "web");
        CHECK(c.path == "/etc/hosts");
        CHECK(split_cp_spec("web:").path == "");
        CHECK(split_cp_spec("/tmp/a:b").container == "");
        CHECK(split_cp_spec("./a:b").container == "");
        CHECK(split_cp_spec("plain").container == "");
    }

    TEST_CASE("CpSpec_ContainerSideIsFromTheRoot")
    {
        CHECK(container_side_path("") == "/");
        CHECK(container_side_path("etc/hosts") == "/etc/hosts");
        CHECK(container_side_path("/data/.") == "/data/.");
    }

    TEST_CASE("CpTarget_DockerDestinationRules")
    {
        CHECK(*cp_target("/a/f.txt", false, "/tmp", CpDest::Directory) == "/tmp/f.txt");
        CHECK(*cp_target("/a/f.txt", false, "/tmp/", CpDest::Directory) == "/tmp/f.txt");
        CHECK(*cp_target("/a/f.txt", false, "/tmp/g.txt", CpDest::Missing) == "/tmp/g.txt");
        CHECK(*cp_target("/a/f.txt", false, "/tmp/g.txt", CpDest::Other) == "/tmp/g.txt");
        CHECK(*cp_target("/a/dir", true, "/tmp", CpDest::Directory) == "/tmp/dir");
        CHECK(*cp_target("/a/dir/", true, "/tmp", CpDest::Directory) == "/tmp/dir");
        CHECK(*cp_target("/a/dir/.", true, "/tmp", CpDest::Directory) == "/tmp");
        CHECK(*cp_target("/a/dir", true, "/tmp/new", CpDest::Missing) == "/tmp/new");
        auto bad = cp_target("/a/dir", true, "/tmp/file", CpDest::Other);
        REQUIRE_FALSE(bad);
        CHECK(bad.error().summary() == "cannot copy a directory to a file: /tmp/file");
        auto missing = cp_target("/a/f.txt", false, "/tmp/nodir/", CpDest::Missing);
        REQUIRE_FALSE(missing);
        CHECK(missing.error().summary() == "no such directory: /tmp/nodir/");
        CHECK(base_name("/a/b/") == "b");
        CHECK(dir_name("/a/b") == "/a");
        CHECK(dir_name("/b") == "/");
        CHECK(dir_name("b") == ".");
    }

    TEST_CASE("CleanPath_AsGoPathClean")
    {
        CHECK(clean_path("") == ".");
        CHECK(clean_path("/") == "/");
        CHECK(clean_path("//a//b/") == "/a/b");
        CHECK(clean_path("/a/./b/../c") == "/a/c");
        CHECK(clean_path("/../../x") == "/x");
        CHECK(clean_path("a/../..") == "..");
        CHECK(clean_path("../a/./b") == "../a/b");
    }

    TEST_CASE("FollowLinkPath_RelativeFromTheLinksParent")
    {
        CHECK(follow_link_path("/link", "/etc/hostname") == "/etc/hostname");
        CHECK(follow_link_path("/tmp/link", "f") == "/tmp/f");
        CHECK(follow_link_path("/tmp/d/link", "../e/./f") == "/tmp/e/f");
        CHECK(follow_link_path("/link", "../../etc/hosts") == "/etc/hosts"); // ".." stops at the root
        CHECK(follow_link_path("/a/link", "//b//") == "/b");
    }

} // TEST_SUITE
