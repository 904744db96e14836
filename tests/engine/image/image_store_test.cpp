#include "engine/image/image_archive.h"
#include "engine/image/image_store.h"
#include "engine/sys/file.h"
#include "tests/engine/image/tar_builder.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine;
using wharf::test::make_tar;
using wharf::test::TarEntry;

namespace {

struct Fixture {
    sys::TempDir dir = std::move(sys::TempDir::create("wharf-store").value());
    ImageStore store = std::move(ImageStore::open(dir.path() + "/root").value());

    Image import(const std::string& tag, const std::vector<TarEntry>& entries, std::vector<std::string> changes = {})
    {
        std::string tar = dir.path() + "/in-" + std::to_string(counter++) + ".tar";
        REQUIRE(sys::write_file_atomic(tar, make_tar(entries, true)));
        ImportOptions o;
        o.changes = std::move(changes);
        auto img = import_rootfs(store, tar, ImageReference::parse(tag).value(), o);
        REQUIRE(img);
        return *img;
    }
    int counter = 0;
};

} // namespace

TEST_SUITE("engine.image.store") {

TEST_CASE("ImageStore_ImportResolveAndLayerDirs")
{
    Fixture f;
    auto img = f.import("localhost/web:1", {{TarEntry::File, "www/index.html", "hi"}},
                        {"EXPOSE 80", "CMD [\"httpd\",\"-f\"]", "ENV A=b"});
    CHECK(img.repo_tags == std::vector<std::string>{"localhost/web:1"});
    CHECK(img.config.exposed_ports == std::vector<std::string>{"80/tcp"});
    CHECK(img.config.cmd == std::vector<std::string>{"httpd", "-f"});
    REQUIRE(img.layer_dirs().size() == 1);
    CHECK(*sys::read_file(img.layer_dirs()[0] + "/www/index.html") == "hi");
    CHECK(img.layers[0].media_type == "application/vnd.oci.image.layer.v1.tar+gzip");
    CHECK(img.document.history.size() == 1);

    for (std::string name : std::vector<std::string>{"localhost/web:1", img.id.str(), img.id.hex(), img.id.hex().substr(0, 12)}) {
        auto r = f.store.resolve(name);
        REQUIRE(r);
        CHECK(r->id == img.id);
    }
    auto missing = f.store.resolve("localhost/web:2");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().summary() == "No such image: localhost/web:2");
    CHECK(missing.error().code() == Errc::NotFound);
}

TEST_CASE("ImageStore_SaveLoadKeepsDigests")
{
    Fixture f;
    auto a = f.import("localhost/a:latest", {{TarEntry::File, "a", "1"}});
    auto b = f.import("localhost/b:v2", {{TarEntry::File, "b", "2"}});
    std::string out = f.dir.path() + "/save.tar";
    REQUIRE(save_archive(f.store, {"localhost/a", "localhost/b:v2"}, out));

    auto other = ImageStore::open(f.dir.path() + "/root2");
    REQUIRE(other);
    auto loaded = load_archive(*other, out);
    REQUIRE(loaded);
    REQUIRE(loaded->size() == 2);
    auto a2 = other->resolve("localhost/a:latest");
    auto b2 = other->resolve("localhost/b:v2");
    REQUIRE(a2);
    REQUIRE(b2);
    CHECK(a2->id == a.id);
    CHECK(a2->manifest_digest == a.manifest_digest);
    CHECK(b2->id == b.id);
    CHECK(b2->layers[0].blob_digest == b.layers[0].blob_digest);
    CHECK(*sys::read_file(b2->layer_dirs()[0] + "/b") == "2");
}

TEST_CASE("ImageStore_LoadRejectsArchiveWithoutManifest")
{
    Fixture f;
    std::string path = f.dir.path() + "/junk.tar";
    REQUIRE(sys::write_file_atomic(path, make_tar({{TarEntry::File, "hello.txt", "x"}})));
    auto r = load_archive(f.store, path);
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() == "invalid archive " + path + ": does not contain a manifest.json or index.json");
}

TEST_CASE("ImageStore_LoadLegacyDockerSave")
{
    Fixture f;
    std::string layer = make_tar({{TarEntry::File, "etc/hostname", "legacy"}});
    Digest diff = sha256(layer);
    std::string config = R"({"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[")" +
                         diff.str() + R"("]}})";
    Digest id = sha256(config);
    std::string manifest = R"([{"Config":")" + id.hex() + R"(.json","RepoTags":["localhost/legacy:1"],"Layers":["abc/layer.tar"]}])";
    std::string path = f.dir.path() + "/legacy.tar";
    REQUIRE(sys::write_file_atomic(path, make_tar({{TarEntry::File, id.hex() + ".json", config},
                                                   {TarEntry::Dir, "abc/", ""},
                                                   {TarEntry::File, "abc/VERSION", "1.0"},
                                                   {TarEntry::File, "abc/layer.tar", layer},
                                                   {TarEntry::Symlink, "def/layer.tar", "../abc/layer.tar"},
                                                   {TarEntry::File, "manifest.json", manifest}})));
    auto loaded = load_archive(f.store, path);
    REQUIRE(loaded);
    REQUIRE(loaded->size() == 1);
    CHECK((*loaded)[0].id == id);
    auto img = f.store.resolve("localhost/legacy:1");
    REQUIRE(img);
    CHECK(*sys::read_file(img->layer_dirs()[0] + "/etc/hostname") == "legacy");
}

TEST_CASE("ImageStore_LoadRefusesDiffIdMismatch")
{
    Fixture f;
    std::string layer = make_tar({{TarEntry::File, "f", "x"}});
    std::string config = R"({"rootfs":{"type":"layers","diff_ids":[")" + sha256("other").str() + R"("]}})";
    Digest id = sha256(config);
    std::string manifest = R"([{"Config":"c.json","RepoTags":["localhost/bad:1"],"Layers":["l/layer.tar"]}])";
    std::string path = f.dir.path() + "/bad.tar";
    REQUIRE(sys::write_file_atomic(path, make_tar({{TarEntry::File, "c.json", config},
                                                   {TarEntry::File, "l/layer.tar", layer},
                                                   {TarEntry::File, "manifest.json", manifest}})));
    auto r = load_archive(f.store, path);
    REQUIRE_FALSE(r);
    CHECK(r.error().summary().find("layer DiffID mismatch: expected " + sha256("other").str()) != std::string::npos);
    CHECK_FALSE(f.store.resolve("localhost/bad:1"));
    CHECK(f.store.layers().list().empty());
}

TEST_CASE("ImageStore_RemoveFreesUnusedLayersAndHonoursHolds")
{
    Fixture f;
    auto img = f.import("localhost/x:1", {{TarEntry::File, "f", "x"}});
    REQUIRE(f.store.tag(img.id, ImageReference::parse("localhost/x:2").value()));
    auto lines = f.store.remove("localhost/x:1", {});
    REQUIRE(lines);
    CHECK(*lines == std::vector<std::string>{"Untagged: localhost/x:1"});
    CHECK(f.store.layers().has(img.layers[0].diff_id));

    REQUIRE(f.store.add_hold(img.id, "ctr1"));
    auto refused = f.store.remove(img.id.hex(), {});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().summary() == "conflict: unable to delete " + img.id.short_hex() +
                                           " (cannot be forced) - image is being used by container ctr1");
    auto prune = f.store.prune(true, nullptr);
    REQUIRE(prune);
    CHECK(f.store.resolve(img.id.str()).has_value());
    REQUIRE(f.store.release_hold(img.id, "ctr1"));

    lines = f.store.remove("localhost/x:2", {});
    REQUIRE(lines);
    CHECK((*lines)[0] == "Untagged: localhost/x:2");
    CHECK((*lines)[1] == "Deleted: " + img.id.str());
    CHECK_FALSE(f.store.layers().has(img.layers[0].diff_id));
    CHECK(f.store.content().list().empty());
}

}
