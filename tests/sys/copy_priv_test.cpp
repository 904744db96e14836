// copy_entry's owners: the source's by default (a volume filled from the image), one owner
// for everything when given (`cp` without -a). Needs root for chown(2).
#include "engine/sys/copy.h"

#include "engine/sys/file.h"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace wharf;

namespace {

struct stat lstat_of(const std::string& p)
{
    struct stat st { };
    REQUIRE(::lstat(p.c_str(), &st) == 0);
    return st;
}

// from/tree/{f (0640, mtime 1000000), link -> f}, all owned by 1234:5678.
std::string make_tree(const std::string& dir)
{
    std::string tree = dir + "/tree";
    REQUIRE(::mkdir(tree.c_str(), 0750) == 0);
    int fd = ::open((tree + "/f").c_str(), O_WRONLY | O_CREAT, 0640);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, "x", 1) == 1);
    ::close(fd);
    REQUIRE(::symlink("f", (tree + "/link").c_str()) == 0);
    timespec times[2] = {{1000000, 0}, {1000000, 0}};
    REQUIRE(::utimensat(AT_FDCWD, (tree + "/f").c_str(), times, 0) == 0);
    for (const char* p : {"", "/f", "/link"})
        REQUIRE(::lchown((tree + p).c_str(), 1234, 5678) == 0);
    return tree;
}

} // namespace

TEST_SUITE("sys.copy")
{
    TEST_CASE("CopyEntry_KeepsTheSourcesOwnersByDefault")
    {
        auto dir = sys::TempDir::create("wharf-copy");
        REQUIRE(dir);
        std::string tree = make_tree(dir->path());
        REQUIRE(sys::copy_entry(tree, dir->path() + "/out"));
        for (const char* p : {"", "/f", "/link"}) {
            auto st = lstat_of(dir->path() + "/out" + p);
            CHECK(st.st_uid == 1234);
            CHECK(st.st_gid == 5678);
        }
    }

    TEST_CASE("CopyEntry_OneOwnerForEverythingKeepsModesAndTimes")
    {
        auto dir = sys::TempDir::create("wharf-copy");
        REQUIRE(dir);
        std::string tree = make_tree(dir->path());
        REQUIRE(sys::copy_entry(tree, dir->path() + "/out", sys::Owner {7, 8}));
        for (const char* p : {"", "/f", "/link"}) {
            auto st = lstat_of(dir->path() + "/out" + p);
            CHECK(st.st_uid == 7);
            CHECK(st.st_gid == 8);
        }
        CHECK((lstat_of(dir->path() + "/out").st_mode & 07777) == 0750);
        auto f = lstat_of(dir->path() + "/out/f");
        CHECK((f.st_mode & 07777) == 0640);
        CHECK(f.st_mtim.tv_sec == 1000000);
        CHECK(S_ISLNK(lstat_of(dir->path() + "/out/link").st_mode));
    }
}
