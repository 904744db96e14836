// Pull and push against a real registry: Debian's docker-registry on 127.0.0.1, started by
// each test with its own storage (tests/support/local_registry.h).
#include "engine/registry/pull.h"
#include "engine/registry/push.h"
#include "engine/registry/registry_client.h"
#include "engine/sys/file.h"
#include "tests/engine/registry/registry_test_images.h"
#include "tests/support/local_registry.h"

#include <cstdlib>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

using namespace wharf;
using namespace wharf::engine;
using namespace wharf::engine::registry;
using wharf::test::TarEntry;

namespace {

struct Roots {
    sys::TempDir dir = sys::TempDir::create("wharf-reg").value();
    ImageStore src = ImageStore::open(dir.path() + "/src").value();
    ImageStore dst = ImageStore::open(dir.path() + "/dst").value();
};

ImageReference image_ref(const std::string& s) { return ImageReference::parse(s).value(); }

PullOptions quiet_pull()
{
    PullOptions o;
    o.use_docker_config = false;
    return o;
}
PushOptions quiet_push()
{
    PushOptions o;
    o.use_docker_config = false;
    return o;
}

void check_same_image(const Image& a, const Image& b)
{
    CHECK(a.id == b.id);
    CHECK(a.manifest_digest == b.manifest_digest);
    REQUIRE(a.layers.size() == b.layers.size());
    for (size_t i = 0; i < a.layers.size(); ++i) {
        CHECK(a.layers[i].blob_digest == b.layers[i].blob_digest);
        CHECK(a.layers[i].diff_id == b.layers[i].diff_id);
    }
}

} // namespace

TEST_SUITE("engine.registry.docker_registry") {

TEST_CASE("RegistryPushPull_BusyboxFixtureRoundTrip")
{
    auto reg = test::LocalRegistry::start();
    REQUIRE_MESSAGE(reg, (reg ? "" : reg.error().summary()));
    Roots r;
    std::string cmd = "WHARF_ROOT=" + r.dir.path() + "/src " WHARF_SOURCE_DIR "/tools/fixtures/busybox-image " WHARF_BINARY;
    REQUIRE(std::system(cmd.c_str()) == 0);
    auto src = ImageStore::open(r.dir.path() + "/src").value();
    Image bb = src.resolve("localhost/busybox:latest").value();
    auto target = image_ref(reg->host() + "/wharf/busybox:1.0");
    REQUIRE(src.tag(bb.id, target));

    std::vector<PushEvent::Kind> events;
    auto po = quiet_push();
    po.progress = [&](const PushEvent& e) { events.push_back(e.kind); };
    auto pushed = push_image(src, target, po);
    REQUIRE_MESSAGE(pushed, (pushed ? "" : pushed.error().summary()));
    CHECK(pushed->digest == bb.manifest_digest);
    CHECK(std::count(events.begin(), events.end(), PushEvent::Kind::Pushed) == 2); // layer + config
    // Pushed once more: everything is already there.
    events.clear();
    REQUIRE(push_image(src, target, po));
    CHECK(std::count(events.begin(), events.end(), PushEvent::Kind::Exists) == 2);

    std::vector<std::string> statuses;
    auto pl = quiet_pull();
    pl.progress = [&](const PullEvent& e) {
        if (e.kind == PullEvent::Kind::LayerComplete)
            statuses.push_back(e.layer);
    };
    auto pulled = pull_image(r.dst, target, pl);
    REQUIRE_MESSAGE(pulled, (pulled ? "" : pulled.error().summary()));
    check_same_image(pulled->image, bb);
    CHECK(pulled->digest == bb.manifest_digest);
    CHECK(pulled->downloaded);
    CHECK(statuses == std::vector<std::string>{bb.layers[0].blob_digest.short_hex()});
    CHECK(pulled->image.repo_tags == std::vector<std::string>{target.str()});
    CHECK(pulled->image.repo_digests ==
          std::vector<std::string>{target.name() + "@" + bb.manifest_digest.str()});
    CHECK(sys::read_file(pulled->image.layer_dirs()[0] + "/www/index.html")->find("Welcome to wharf") !=
          std::string::npos);
    CHECK(pulled->image.config.cmd == std::vector<std::string>{"httpd", "-f", "-p", "80", "-h", "/www"});

    // A second pull finds the image up to date and downloads nothing.
    int downloads = 0;
    pl.progress = [&](const PullEvent& e) { downloads += e.kind == PullEvent::Kind::LayerDownloading; };
    auto again = pull_image(r.dst, target, pl);
    REQUIRE(again);
    CHECK_FALSE(again->downloaded);
    CHECK(downloads == 0);
    // And by digest.
    auto by_digest = pull_image(r.dst, image_ref(target.name() + "@" + bb.manifest_digest.str()), quiet_pull());
    REQUIRE(by_digest);
    CHECK(by_digest->image.id == bb.id);
}

TEST_CASE("RegistryPushPull_WhiteoutsAndOpaqueDirsSurvive")
{
    auto reg = test::LocalRegistry::start();
    REQUIRE(reg);
    Roots r;
    Image img = test::make_image(r.src, r.dir.path(),
                                 {{{TarEntry::Dir, "d", ""},
                                   {TarEntry::File, "d/a", "a"},
                                   {TarEntry::File, "d/b", "b"},
                                   {TarEntry::File, "gone", "x"},
                                   {TarEntry::File, "keep", "k"}},
                                  {{TarEntry::Dir, "d", ""},
                                   {TarEntry::File, "d/.wh..wh..opq", ""},
                                   {TarEntry::File, "d/c", "c"},
                                   {TarEntry::File, ".wh.gone", ""}},
                                  {{TarEntry::File, "top", std::string(300000, 't')}}},
                                 reg->host() + "/multi/layer:v1");
    auto target = image_ref(reg->host() + "/multi/layer:v1");
    auto pushed = push_image(r.src, target, quiet_push());
    REQUIRE_MESSAGE(pushed, (pushed ? "" : pushed.error().summary()));
    auto pulled = pull_image(r.dst, target, quiet_pull());
    REQUIRE_MESSAGE(pulled, (pulled ? "" : pulled.error().summary()));
    check_same_image(pulled->image, img);
    auto dirs = pulled->image.layer_dirs();
    REQUIRE(dirs.size() == 3);
    struct stat st {};
    REQUIRE(::lstat((dirs[1] + "/gone").c_str(), &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
    CHECK(st.st_rdev == makedev(0, 0));
    char value[8] = {};
    CHECK(::lgetxattr((dirs[1] + "/d").c_str(), "trusted.overlay.opaque", value, sizeof value) == 1);
    CHECK(value[0] == 'y');
    CHECK(*sys::read_file(dirs[1] + "/d/c") == "c");
    CHECK_FALSE(sys::exists(dirs[1] + "/d/.wh..wh..opq"));
    CHECK(sys::read_file(dirs[2] + "/top")->size() == 300000);
}

TEST_CASE("RegistryPull_MultiPlatformIndexSelectsThePlatform")
{
    auto reg = test::LocalRegistry::start();
    REQUIRE(reg);
    Roots r;
    Image amd = test::make_image(r.src, r.dir.path(), {{{TarEntry::File, "arch", "amd64"}}},
                                 reg->host() + "/multi:amd64", "amd64");
    Image arm = test::make_image(r.src, r.dir.path(), {{{TarEntry::File, "arch", "arm64"}}},
                                 reg->host() + "/multi:arm64", "arm64");
    REQUIRE(push_image(r.src, image_ref(reg->host() + "/multi:amd64"), quiet_push()));
    REQUIRE(push_image(r.src, image_ref(reg->host() + "/multi:arm64"), quiet_push()));
    auto desc = [](const Image& i, const std::string& arch) {
        return nlohmann::json{{"mediaType", media::kOciManifest},
                              {"digest", i.manifest_digest.str()},
                              {"size", 0},
                              {"platform", {{"os", "linux"}, {"architecture", arch}}}};
    };
    ClientOptions co;
    auto client = RegistryClient::connect(reg->host(), co).value();
    auto size_of = [&](const Image& i) { return static_cast<int64_t>(r.src.content().read(i.manifest_digest)->size()); };
    auto d_arm = desc(arm, "arm64");
    d_arm["size"] = size_of(arm);
    auto d_amd = desc(amd, "amd64");
    d_amd["size"] = size_of(amd);
    nlohmann::json attestation = {{"mediaType", media::kOciManifest},
                                  {"digest", amd.manifest_digest.str()},
                                  {"size", size_of(amd)},
                                  {"platform", {{"os", "unknown"}, {"architecture", "unknown"}}},
                                  {"annotations", {{"vnd.docker.reference.type", "attestation-manifest"}}}};
    nlohmann::json index = {{"schemaVersion", 2},
                            {"mediaType", media::kOciIndex},
                            {"manifests", {attestation, d_arm, d_amd}}};
    std::string bytes = index.dump();
    auto put = client->put_manifest("multi", "all", bytes, media::kOciIndex);
    REQUIRE_MESSAGE(put, (put ? "" : put.error().summary()));

    auto pulled = pull_image(r.dst, image_ref(reg->host() + "/multi:all"), quiet_pull());
    REQUIRE_MESSAGE(pulled, (pulled ? "" : pulled.error().summary()));
    CHECK(pulled->digest == sha256(bytes));
    CHECK(pulled->image.id == amd.id);
    CHECK(pulled->image.repo_digests == std::vector<std::string>{reg->host() + "/multi@" + sha256(bytes).str()});
    auto by_index = pull_image(r.dst, image_ref(reg->host() + "/multi@" + sha256(bytes).str()), quiet_pull());
    REQUIRE(by_index);
    CHECK_FALSE(by_index->downloaded);
    CHECK(by_index->image.id == amd.id);
    CHECK(*sys::read_file(pulled->image.layer_dirs()[0] + "/arch") == "amd64");

    auto opts = quiet_pull();
    opts.platform = Platform{"linux", "arm64", ""};
    auto other = ImageStore::open(r.dir.path() + "/dst2").value();
    auto pulled_arm = pull_image(other, image_ref(reg->host() + "/multi:all"), opts);
    REQUIRE(pulled_arm);
    CHECK(pulled_arm->image.id == arm.id);

    opts.platform = Platform{"linux", "s390x", ""};
    auto none = ImageStore::open(r.dir.path() + "/dst3").value();
    auto missing = pull_image(none, image_ref(reg->host() + "/multi:all"), opts);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code() == Errc::NotFound);
    CHECK(test::store_is_empty(none));
}

TEST_CASE("RegistryPush_CrossRepositoryMountAndChunkedUpload")
{
    auto reg = test::LocalRegistry::start();
    REQUIRE(reg);
    Roots r;
    Image img = test::make_image(r.src, r.dir.path(),
                                 {{{TarEntry::File, "big", std::string(3 << 20, 'b')}}, {{TarEntry::File, "s", "s"}}},
                                 reg->host() + "/first:1");
    auto po = quiet_push();
    po.chunk_size = 100000; // several PATCHes per layer
    auto first = push_image(r.src, image_ref(reg->host() + "/first:1"), po);
    REQUIRE_MESSAGE(first, (first ? "" : first.error().summary()));

    REQUIRE(r.src.tag(img.id, image_ref(reg->host() + "/second:1")));
    std::vector<std::string> mounted_from;
    po.progress = [&](const PushEvent& e) {
        if (e.kind == PushEvent::Kind::Mounted)
            mounted_from.push_back(e.from);
    };
    auto second = push_image(r.src, image_ref(reg->host() + "/second:1"), po);
    REQUIRE(second);
    CHECK(mounted_from == std::vector<std::string>{"first", "first"});
    CHECK(second->digest == img.manifest_digest);

    auto pulled = pull_image(r.dst, image_ref(reg->host() + "/second:1"), quiet_pull());
    REQUIRE(pulled);
    check_same_image(pulled->image, img);
    auto client = RegistryClient::connect(reg->host(), {}).value();
    auto repos = client->catalog();
    REQUIRE(repos);
    CHECK(*repos == std::vector<std::string>{"first", "second"});
    CHECK(*client->list_tags("second") == std::vector<std::string>{"1"});
}

TEST_CASE("RegistryPull_NotFoundLeavesNothing")
{
    auto reg = test::LocalRegistry::start();
    REQUIRE(reg);
    Roots r;
    test::make_image(r.src, r.dir.path(), {{{TarEntry::File, "f", "1"}}}, reg->host() + "/app:1");
    REQUIRE(push_image(r.src, image_ref(reg->host() + "/app:1"), quiet_push()));

    auto no_tag = pull_image(r.dst, image_ref(reg->host() + "/app:nope"), quiet_pull());
    REQUIRE_FALSE(no_tag);
    CHECK(no_tag.error().code() == Errc::NotFound);
    CHECK(no_tag.error().summary() ==
          "manifest for " + reg->host() + "/app:nope not found: manifest unknown: manifest unknown");
    auto no_repo = pull_image(r.dst, image_ref(reg->host() + "/nothing/here:1"), quiet_pull());
    REQUIRE_FALSE(no_repo);
    CHECK(no_repo.error().code() == Errc::NotFound);
    CHECK(test::store_is_empty(r.dst));

    auto no_image = push_image(r.dst, image_ref(reg->host() + "/app:1"), quiet_push());
    REQUIRE_FALSE(no_image);
    CHECK(no_image.error().code() == Errc::NotFound);
}

TEST_CASE("RegistryAuth_HtpasswdBasicAuth")
{
    auto reg = test::LocalRegistry::start({.htpasswd_user = std::make_pair("alice", "s3cret")});
    REQUIRE(reg);
    Roots r;
    Image img = test::make_image(r.src, r.dir.path(), {{{TarEntry::File, "f", "1"}}}, reg->host() + "/private:1");
    auto target = image_ref(reg->host() + "/private:1");

    auto anon = push_image(r.src, target, quiet_push());
    REQUIRE_FALSE(anon);
    CHECK(anon.error().code() == Errc::Permission);
    CHECK_MESSAGE(anon.error().summary().find("unauthorized: authentication required") != std::string::npos, anon.error().summary());

    auto po = quiet_push();
    po.credentials = Credentials{"alice", "wrong", {}};
    REQUIRE_FALSE(push_image(r.src, target, po));

    po.credentials = Credentials{"alice", "s3cret", {}};
    auto pushed = push_image(r.src, target, po);
    REQUIRE_MESSAGE(pushed, (pushed ? "" : pushed.error().summary()));

    auto pl = quiet_pull();
    auto denied = pull_image(r.dst, target, pl);
    REQUIRE_FALSE(denied);
    CHECK(denied.error().code() == Errc::Permission);
    CHECK(test::store_is_empty(r.dst));
    pl.credentials = Credentials{"alice", "s3cret", {}};
    auto pulled = pull_image(r.dst, target, pl);
    REQUIRE(pulled);
    CHECK(pulled->image.id == img.id);

    ClientOptions good;
    good.credentials = Credentials{"alice", "s3cret", {}};
    CHECK(RegistryClient::connect(reg->host(), good).value()->verify_credentials());
    ClientOptions bad;
    bad.credentials = Credentials{"alice", "nope", {}};
    auto v = RegistryClient::connect(reg->host(), bad).value()->verify_credentials();
    REQUIRE_FALSE(v);
    CHECK(v.error().summary() == "login attempt to http://" + reg->host() + "/v2/ failed with status: 401 Unauthorized");
}

TEST_CASE("RegistryPull_RegistryStoppedIsAClearError")
{
    auto reg = test::LocalRegistry::start();
    REQUIRE(reg);
    std::string host = reg->host();
    reg->stop();
    Roots r;
    auto opts = quiet_pull();
    opts.retries = 1;
    auto res = pull_image(r.dst, image_ref(host + "/app:1"), opts);
    REQUIRE_FALSE(res);
    CHECK(res.error().code() == Errc::Io);
    CHECK(res.error().summary().find("http://" + host + "/v2/") != std::string::npos);
    CHECK(test::store_is_empty(r.dst));
}

} // TEST_SUITE
