// Whiteouts in overlayfs form need root (0:0 char devices, trusted.* xattrs).
#include "engine/image/layer_unpack.h"
#include "engine/sys/file.h"
#include "tests/engine/image/tar_builder.h"

#include <cstring>
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace wharf;
using namespace wharf::engine;
using wharf::test::make_tar;
using wharf::test::TarEntry;

TEST_SUITE("engine.image.layer.priv") {

TEST_CASE("Unpack_WhiteoutsBecomeOverlayForm")
{
    REQUIRE(::geteuid() == 0);
    auto dir = sys::TempDir::create("wharf-layer");
    REQUIRE(dir);
    std::string tar = make_tar({
        {TarEntry::Dir, "etc/", ""},
        {TarEntry::File, "etc/.wh.passwd", ""},
        {TarEntry::File, "opt/.wh..wh..opq", ""}, // before its directory entry
        {TarEntry::Dir, "opt/", ""},
        {TarEntry::File, "opt/new", "n"},
        {TarEntry::File, ".wh..wh.plnk/123", "aufs"},
        {TarEntry::File, "faked", "x", 0644, {{"trusted.overlay.opaque", "y"}, {"user.keep", "1"}}},
    });
    std::string dest = dir->path() + "/d";
    REQUIRE(sys::make_dirs(dest));
    size_t pos = 0;
    auto r = unpack_layer(
        [&](void* buf, size_t cap) -> ssize_t {
            size_t n = std::min(cap, tar.size() - pos);
            std::memcpy(buf, tar.data() + pos, n);
            pos += n;
            return static_cast<ssize_t>(n);
        },
        dest, {});
    REQUIRE(r);
    struct stat st {};
    REQUIRE(::lstat((dest + "/etc/passwd").c_str(), &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
    CHECK(st.st_rdev == makedev(0, 0));
    CHECK_FALSE(sys::exists(dest + "/etc/.wh.passwd"));
    char val[8] = {};
    CHECK(::lgetxattr((dest + "/opt").c_str(), "trusted.overlay.opaque", val, sizeof val) == 1);
    CHECK(val[0] == 'y');
    CHECK_FALSE(sys::exists(dest + "/opt/.wh..wh..opq"));
    CHECK(sys::exists(dest + "/opt/new"));
    CHECK_FALSE(sys::exists(dest + "/.wh..wh.plnk"));
    CHECK(::lgetxattr((dest + "/faked").c_str(), "trusted.overlay.opaque", val, sizeof val) < 0);
}

}
