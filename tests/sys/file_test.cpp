#include "engine/sys/file.h"

#include <doctest/doctest.h>

using namespace wharf;

TEST_SUITE("sys.file") {

TEST_CASE("File_AtomicWriteThenRead")
{
    auto dir = sys::TempDir::create("wharf-test");
    REQUIRE(dir);
    std::string p = dir->path() + "/a/b/state.json";
    REQUIRE(sys::make_dirs(dir->path() + "/a/b"));
    REQUIRE(sys::write_file_atomic(p, "{\"x\":1}"));
    REQUIRE(sys::write_file_atomic(p, "{\"x\":2}"));
    auto content = sys::read_file(p);
    REQUIRE(content);
    CHECK(*content == "{\"x\":2}");
    CHECK_FALSE(sys::exists(p + ".tmp"));
}

TEST_CASE("File_ReadMissingNamesThePath")
{
    auto r = sys::read_file("/nonexistent/wharf/file");
    REQUIRE_FALSE(r);
    CHECK(r.error().code() == Errc::NotFound);
    CHECK(r.error().summary() == "open /nonexistent/wharf/file: No such file or directory");
}

TEST_CASE("File_TempDirRemovedOnDestruction")
{
    std::string path;
    {
        auto dir = sys::TempDir::create("wharf-test");
        REQUIRE(dir);
        path = dir->path();
        REQUIRE(sys::write_file_atomic(path + "/f", "x"));
    }
    CHECK_FALSE(sys::exists(path));
}

} // TEST_SUITE
