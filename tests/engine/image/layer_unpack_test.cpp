#include "engine/image/layer_store.h"
#include "engine/image/layer_unpack.h"
#include "engine/sys/file.h"
#include "tests/engine/image/tar_builder.h"

#include <cstring>
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace wharf;
using namespace wharf::engine;
using wharf::test::make_tar;
using wharf::test::TarEntry;

namespace {

LayerReadFn from_string(const std::string& data)
{
    auto pos = std::make_shared<size_t>(0);
    return [&data, pos](void* buf, size_t cap) -> ssize_t {
        size_t n = std::min(cap, data.size() - *pos);
        std::memcpy(buf, data.data() + *pos, n);
        *pos += n;
        return static_cast<ssize_t>(n);
    };
}

Result<UnpackResult> unpack_into(const std::string& tar, const std::string& dest)
{
    REQUIRE(sys::make_dirs(dest));
    UnpackOptions o;
    o.xattr_ns = ::geteuid() == 0 ? OverlayXattr::Trusted : OverlayXattr::User;
    return unpack_layer(from_string(tar), dest, o);
}

} // namespace

TEST_SUITE("engine.image.layer") {

TEST_CASE("Unpack_DiffIdIsTheUncompressedTarHash")
{
    auto dir = sys::TempDir::create("wharf-layer");
    REQUIRE(dir);
    std::vector<TarEntry> entries{{TarEntry::Dir, "etc/", ""}, {TarEntry::File, "etc/motd", "hello\n"},
                                  {TarEntry::Symlink, "etc/link", "/etc/motd"}};
    std::string plain = make_tar(entries);
    std::string gz = make_tar(entries, true);
    auto a = unpack_into(plain, dir->path() + "/a");
    auto b = unpack_into(gz, dir->path() + "/b");
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->diff_id == sha256(plain));
    CHECK(b->diff_id == sha256(plain));
    CHECK(a->content_size == 6);
    CHECK(*sys::read_file(dir->path() + "/b/etc/motd") == "hello\n");
    char target[64] = {};
    CHECK(::readlink((dir->path() + "/b/etc/link").c_str(), target, sizeof target - 1) > 0);
    CHECK(std::string(target) == "/etc/motd"); // absolute targets stored verbatim
}

TEST_CASE("Unpack_RefusesDotDotBreakout")
{
    auto dir = sys::TempDir::create("wharf-layer");
    REQUIRE(dir);
    auto r = unpack_into(make_tar({{TarEntry::File, "../../evil", "x"}}), dir->path() + "/d");
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() == "breakout: layer entry \"../../evil\" points outside the layer");
    CHECK_FALSE(sys::exists(dir->path() + "/evil"));
}

TEST_CASE("Unpack_RefusesWritingThroughASymlink")
{
    auto dir = sys::TempDir::create("wharf-layer");
    REQUIRE(dir);
    REQUIRE(sys::make_dirs(dir->path() + "/outside"));
    std::string outside = dir->path() + "/outside";
    auto r = unpack_into(make_tar({{TarEntry::Symlink, "a", outside}, {TarEntry::File, "a/passwd", "pwned"}}),
                         dir->path() + "/d");
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() == "breakout: layer entry \"a/passwd\" would be written through symlink \"a\"");
    CHECK_FALSE(sys::exists(outside + "/passwd"));
}

TEST_CASE("Unpack_RefusesHardlinksOutOfTheLayer")
{
    auto dir = sys::TempDir::create("wharf-layer");
    REQUIRE(dir);
    auto r = unpack_into(make_tar({{TarEntry::Hardlink, "shadow", "../../../etc/shadow"}}), dir->path() + "/d");
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() == "breakout: hardlink \"shadow\" points outside the layer (\"../../../etc/shadow\")");
    r = unpack_into(make_tar({{TarEntry::Hardlink, "shadow", "/etc/shadow"}}), dir->path() + "/e");
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() ==
          "invalid hardlink \"shadow\" in layer: target \"/etc/shadow\" does not exist in this layer");
    auto ok_ = unpack_into(make_tar({{TarEntry::File, "a", "data"}, {TarEntry::Hardlink, "b", "a"}}), dir->path() + "/f");
    REQUIRE(ok_);
    struct stat sa {}, sb {};
    ::stat((dir->path() + "/f/a").c_str(), &sa);
    ::stat((dir->path() + "/f/b").c_str(), &sb);
    CHECK(sa.st_ino == sb.st_ino);
}

TEST_CASE("Unpack_DropsOverlayXattrsAndRejectsBareWhiteout")
{
    auto dir = sys::TempDir::create("wharf-layer");
    REQUIRE(dir);
    auto r = unpack_into(make_tar({{TarEntry::File, "x/.wh.", ""}}), dir->path() + "/d");
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() == "invalid whiteout entry \"x/.wh.\" in layer");
}

TEST_CASE("Unpack_GarbageIsAClearError")
{
    auto dir = sys::TempDir::create("wharf-layer");
    REQUIRE(dir);
    std::string junk(4096, 'z');
    auto r = unpack_into(junk, dir->path() + "/d");
    REQUIRE_FALSE(r);
    CHECK(r.error().summary().starts_with("read layer tar: "));
}

TEST_CASE("LayerStore_MismatchKeepsNothing")
{
    auto dir = sys::TempDir::create("wharf-layer");
    REQUIRE(dir);
    auto store = LayerStore::open(dir->path());
    REQUIRE(store);
    std::string tar = make_tar({{TarEntry::File, "f", "x"}});
    Digest wrong = sha256("not this");
    auto r = store->unpack(from_string(tar), wrong);
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() == "layer DiffID mismatch: expected " + wrong.str() + ", got " + sha256(tar).str());
    CHECK(store->list().empty());
    auto good = store->unpack(from_string(tar), sha256(tar));
    REQUIRE(good);
    CHECK(store->has(sha256(tar)));
    CHECK(*sys::read_file(good->dir + "/f") == "x");
}

TEST_CASE("CleanMemberPath")
{
    CHECK(*clean_member_path("./a//b/../c") == "a/c");
    CHECK(*clean_member_path("/abs/x") == "abs/x");
    CHECK(clean_member_path("./").value().empty());
    CHECK_FALSE(clean_member_path("a/../../b"));
}

}
