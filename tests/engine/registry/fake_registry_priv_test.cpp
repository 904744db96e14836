// The registry client against a fake registry speaking the distribution protocol
// (tests/support/fake_http_server.h), for what a real registry will not do on demand:
// Bearer token auth with our own token server, wrong bytes, a connection cut mid-blob,
// redirects to another host, transient 503s.
//
// Bearer auth uses a fake rather than docker-registry's `auth: token` mode because that mode
// only accepts JWTs signed by a key whose certificate is in its `rootcertbundle`: a test
// would need its own CA and a JWT signer, and would test that machinery more than the client.
#include "engine/registry/pull.h"
#include "engine/registry/push.h"
#include "engine/registry/registry_client.h"
#include "tests/engine/registry/registry_test_images.h"
#include "tests/support/fake_http_server.h"

#include <atomic>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace wharf;
using namespace wharf::engine;
using namespace wharf::engine::registry;
using wharf::test::FakeRequest;
using wharf::test::FakeResponse;
using wharf::test::TarEntry;

namespace {

struct Setup {
    sys::TempDir dir = sys::TempDir::create("wharf-fake").value();
    ImageStore src = ImageStore::open(dir.path() + "/src").value();
    ImageStore dst = ImageStore::open(dir.path() + "/dst").value();
    test::ServedImage image;

    Setup()
    {
        // Random content, so the gzip blobs stay megabytes and a cut lands mid-transfer.
        Image img = test::make_image(src, dir.path(),
                                     {{{TarEntry::File, "a", test::random_bytes(2 << 20, 1)}},
                                      {{TarEntry::File, "b", test::random_bytes(1 << 20, 2)}}},
                                     "localhost/app:1");
        image = test::served(src, img);
    }
};

FakeResponse error_json(int status, const std::string& code, const std::string& msg)
{
    return {status, {{"Content-Type", "application/json"}},
            nlohmann::json{{"errors", {{{"code", code}, {"message", msg}}}}}.dump()};
}

/// The protocol part every test shares: /v2/, manifests by tag or digest, blobs.
FakeResponse serve(const test::ServedImage& img, const FakeRequest& req)
{
    if (req.path == "/v2/")
        return {200, {}, "{}"};
    const std::string m = "/v2/app/manifests/";
    if (req.path.starts_with(m)) {
        std::string reference = req.path.substr(m.size());
        if (reference != "1" && reference != img.manifest_digest.str())
            return error_json(404, "MANIFEST_UNKNOWN", "manifest unknown");
        return {200, {{"Content-Type", img.manifest_type}, {"Docker-Content-Digest", img.manifest_digest.str()}},
                img.manifest};
    }
    const std::string b = "/v2/app/blobs/";
    if (req.path.starts_with(b)) {
        auto it = img.blobs.find(req.path.substr(b.size()));
        if (it == img.blobs.end())
            return error_json(404, "BLOB_UNKNOWN", "blob unknown to registry");
        std::string range = req.header("range");
        if (range.starts_with("bytes=")) {
            size_t from = std::stoul(range.substr(6));
            return {206, {{"Content-Range", "bytes " + std::to_string(from) + "-" + std::to_string(it->second.size() - 1) +
                                                "/" + std::to_string(it->second.size())}},
                    it->second.substr(from)};
        }
        return {200, {{"Content-Type", "application/octet-stream"}}, it->second};
    }
    return error_json(404, "NAME_UNKNOWN", "repository name not known to registry");
}

PullOptions opts()
{
    PullOptions o;
    o.use_docker_config = false;
    return o;
}

ImageReference image_ref(const std::string& s) { return ImageReference::parse(s).value(); }

std::string biggest_layer(const test::ServedImage& img)
{
    std::string best;
    for (auto& l : img.image.layers)
        if (best.empty() || img.blobs.at(l.blob_digest.str()).size() > img.blobs.at(best).size())
            best = l.blob_digest.str();
    return best;
}

} // namespace

TEST_SUITE("engine.registry.fake_registry") {

TEST_CASE("RegistryAuth_BearerTokenFlowWithScopeAndAccount")
{
    Setup s;
    std::atomic<int> token_requests{0};
    std::string realm_host;
    test::FakeHttpServer token_server([&](const FakeRequest& req) -> FakeResponse {
        ++token_requests;
        if (req.path != "/token")
            return {404, {}, ""};
        if (req.header("authorization") != "Basic " + base64_encode("bob:pw"))
            return {401, {}, R"({"details":"incorrect username or password"})"};
        return {200, {{"Content-Type", "application/json"}}, R"({"token":"tok-1","expires_in":300})"};
    });
    std::string challenge = "Bearer realm=\"http://" + token_server.host() + "/token\",service=\"fake.registry\"";
    test::FakeHttpServer registry([&](const FakeRequest& req) -> FakeResponse {
        if (req.header("authorization") != "Bearer tok-1") {
            auto r = error_json(401, "UNAUTHORIZED", "authentication required");
            std::string scope = req.path == "/v2/" ? "" : ",scope=\"repository:app:pull\"";
            r.headers.push_back({"WWW-Authenticate", challenge + scope});
            return r;
        }
        return serve(s.image, req);
    });

    auto anon = pull_image(s.dst, image_ref(registry.host() + "/app:1"), opts());
    REQUIRE_FALSE(anon);
    CHECK(anon.error().code() == Errc::Permission);
    CHECK(test::store_is_empty(s.dst));

    auto o = opts();
    o.credentials = Credentials{"bob", "pw", {}};
    auto pulled = pull_image(s.dst, image_ref(registry.host() + "/app:1"), o);
    REQUIRE_MESSAGE(pulled, (pulled ? "" : pulled.error().summary()));
    CHECK(pulled->image.id == s.image.image.id);
    // The token is cached per scope: the anonymous attempt plus one grant, not one per blob.
    auto reqs = token_server.requests();
    REQUIRE(reqs.size() == 2);
    CHECK(reqs[1].query == "service=fake.registry&scope=repository%3Aapp%3Apull&account=bob");

    ClientOptions co;
    co.credentials = Credentials{"bob", "pw", {}};
    CHECK(RegistryClient::connect(registry.host(), co).value()->verify_credentials());
    co.credentials = Credentials{"bob", "bad", {}};
    auto v = RegistryClient::connect(registry.host(), co).value()->verify_credentials();
    REQUIRE_FALSE(v);
    CHECK(v.error().code() == Errc::Permission);
}

TEST_CASE("RegistryPull_CorruptBlobIsRefusedAndNothingKept")
{
    Setup s;
    std::string victim = biggest_layer(s.image);
    test::FakeHttpServer registry([&](const FakeRequest& req) -> FakeResponse {
        auto r = serve(s.image, req);
        if (req.path.ends_with(victim) && r.status == 200) {
            // Same length, one byte flipped deep inside: only the digest can tell.
            r.body[r.body.size() / 2] ^= 0x55;
        }
        return r;
    });
    auto res = pull_image(s.dst, image_ref(registry.host() + "/app:1"), opts());
    REQUIRE_FALSE(res);
    CHECK(res.error().summary().find("layer " + victim.substr(7, 12)) != std::string::npos);
    CHECK(res.error().summary().find("digest mismatch for layer " + victim + ": expected " + victim + ", got sha256:") !=
          std::string::npos);
    CHECK(test::store_is_empty(s.dst));
}

TEST_CASE("RegistryPull_DigestMismatchOfManifestAndOversizedBlob")
{
    Setup s;
    std::string victim = biggest_layer(s.image);
    bool lie_about_manifest = true;
    test::FakeHttpServer registry([&](const FakeRequest& req) -> FakeResponse {
        auto r = serve(s.image, req);
        if (lie_about_manifest && req.path.starts_with("/v2/app/manifests/") && r.status == 200)
            r.headers[1].second = sha256("something else").str();
        if (!lie_about_manifest && req.path.ends_with(victim) && r.status == 200)
            r.body += "trailing garbage";
        return r;
    });
    auto res = pull_image(s.dst, image_ref(registry.host() + "/app:1"), opts());
    REQUIRE_FALSE(res);
    CHECK(res.error().summary().find("digest mismatch: the registry says " + sha256("something else").str()) !=
          std::string::npos);
    auto by_digest = pull_image(s.dst, image_ref(registry.host() + "/app@" + sha256("other").str()), opts());
    REQUIRE_FALSE(by_digest);
    CHECK(by_digest.error().code() == Errc::NotFound);

    lie_about_manifest = false;
    auto res2 = pull_image(s.dst, image_ref(registry.host() + "/app:1"), opts());
    REQUIRE_FALSE(res2);
    CHECK(res2.error().summary().find("sent more than the") != std::string::npos);
    CHECK(test::store_is_empty(s.dst));
}

TEST_CASE("RegistryPull_ConnectionCutMidBlobResumesWithRange")
{
    Setup s;
    std::string victim = biggest_layer(s.image);
    std::atomic<int> cuts{0};
    test::FakeHttpServer registry([&](const FakeRequest& req) -> FakeResponse {
        auto r = serve(s.image, req);
        if (req.path.ends_with(victim) && r.status == 200 && cuts++ == 0)
            r.cut_after = r.body.size() / 3;
        return r;
    });
    auto res = pull_image(s.dst, image_ref(registry.host() + "/app:1"), opts());
    REQUIRE_MESSAGE(res, (res ? "" : res.error().summary()));
    CHECK(res->image.id == s.image.image.id);
    bool resumed = false;
    for (auto& q : registry.requests())
        resumed = resumed || (q.path.ends_with(victim) && q.header("range").starts_with("bytes="));
    CHECK(resumed);
}

TEST_CASE("RegistryPull_RegistryGoingAwayMidPullLeavesNothing")
{
    Setup s;
    std::string victim = biggest_layer(s.image);
    test::FakeHttpServer registry([&](const FakeRequest& req) -> FakeResponse {
        auto r = serve(s.image, req);
        if (req.path.ends_with(victim) && r.status == 200) {
            r.cut_after = r.body.size() / 2;
            r.then_stop_listening = true;
        }
        return r;
    });
    auto o = opts();
    o.retries = 2;
    auto res = pull_image(s.dst, image_ref(registry.host() + "/app:1"), o);
    REQUIRE_FALSE(res);
    CHECK(res.error().code() == Errc::Io);
    CHECK(res.error().summary().starts_with("pull " + registry.host() + "/app:1: layer "));
    CHECK(test::store_is_empty(s.dst));
    // A later pull from a registry that is back completes cleanly.
    test::FakeHttpServer back([&](const FakeRequest& req) { return serve(s.image, req); });
    auto again = pull_image(s.dst, image_ref(back.host() + "/app:1"), opts());
    REQUIRE(again);
    CHECK(again->image.id == s.image.image.id);
}

TEST_CASE("RegistryPull_RedirectToAnotherHostDropsAuthorization")
{
    Setup s;
    test::FakeHttpServer cdn([&](const FakeRequest& req) -> FakeResponse {
        auto it = s.image.blobs.find(req.path.substr(1));
        if (it == s.image.blobs.end())
            return {404, {}, ""};
        return {200, {}, it->second};
    });
    const std::string basic = "Basic " + base64_encode("carol:pw");
    test::FakeHttpServer registry([&](const FakeRequest& req) -> FakeResponse {
        if (req.header("authorization") != basic)
            return {401, {{"WWW-Authenticate", "Basic realm=\"fake\""}}, ""};
        if (req.path.starts_with("/v2/app/blobs/"))
            return {307, {{"Location", "http://" + cdn.host() + "/" + req.path.substr(14)}}, ""};
        return serve(s.image, req);
    });
    auto o = opts();
    o.credentials = Credentials{"carol", "pw", {}};
    auto res = pull_image(s.dst, image_ref(registry.host() + "/app:1"), o);
    REQUIRE_MESSAGE(res, (res ? "" : res.error().summary()));
    auto cdn_requests = cdn.requests();
    CHECK(cdn_requests.size() >= 3); // config + two layers
    for (auto& q : cdn_requests)
        CHECK(q.header("authorization").empty());
}

TEST_CASE("RegistryPull_TransientErrorsAreRetried")
{
    Setup s;
    std::atomic<int> failures{0};
    test::FakeHttpServer registry([&](const FakeRequest& req) -> FakeResponse {
        if (req.path != "/v2/" && failures < 4 && failures++ % 2 == 0)
            return error_json(503, "UNAVAILABLE", "try again");
        return serve(s.image, req);
    });
    auto res = pull_image(s.dst, image_ref(registry.host() + "/app:1"), opts());
    REQUIRE_MESSAGE(res, (res ? "" : res.error().summary()));
    CHECK(failures >= 3);

    test::FakeHttpServer broken([&](const FakeRequest& req) -> FakeResponse {
        if (req.path == "/v2/")
            return {200, {}, "{}"};
        return error_json(500, "INTERNAL", "broken");
    });
    auto o = opts();
    o.retries = 1;
    auto other = ImageStore::open(s.dir.path() + "/other").value();
    auto bad = pull_image(other, image_ref(broken.host() + "/app:1"), o);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().summary() == "get manifest " + broken.host() + "/app:1: internal: broken");
    CHECK(test::store_is_empty(other));
}

} // TEST_SUITE

TEST_SUITE("engine.registry.fake_registry") {

TEST_CASE("RegistryPull_MaliciousLayerAndSchema1AreRefused")
{
    Setup s;
    // A layer whose digests are all honest but whose tar escapes its directory.
    std::string tar = test::make_tar({{TarEntry::File, "../../escaped", "x"}}, false);
    std::string blob = test::make_tar({{TarEntry::File, "../../escaped", "x"}}, true);
    ImageDocument doc;
    doc.created = "2026-01-02T03:04:05Z";
    doc.diff_ids = {sha256(tar)};
    doc.history = {{doc.created, "", "evil", "", false}};
    std::string config = serialize(doc);
    Manifest m;
    m.media_type = media::kOciManifest;
    m.config = {media::kOciConfig, sha256(config), static_cast<int64_t>(config.size()), {}, {}, {}};
    m.layers = {{media::kOciLayerGzip, sha256(blob), static_cast<int64_t>(blob.size()), {}, {}, {}}};
    test::ServedImage evil;
    evil.manifest = serialize(m);
    evil.manifest_type = media::kOciManifest;
    evil.manifest_digest = sha256(evil.manifest);
    evil.blobs = {{sha256(config).str(), config}, {sha256(blob).str(), blob}};
    bool schema1 = false;
    test::FakeHttpServer registry([&](const FakeRequest& req) -> FakeResponse {
        auto r = serve(evil, req);
        if (schema1 && req.path.starts_with("/v2/app/manifests/")) {
            r.headers[0].second = media::kDockerSchema1;
            r.body = R"({"schemaVersion":1,"name":"app","tag":"1","fsLayers":[]})";
            r.headers.pop_back();
        }
        return r;
    });
    auto res = pull_image(s.dst, image_ref(registry.host() + "/app:1"), opts());
    REQUIRE_FALSE(res);
    CHECK(res.error().summary().find("breakout") != std::string::npos);
    CHECK(test::store_is_empty(s.dst));
    CHECK_FALSE(sys::exists(s.dst.root() + "/escaped"));
    CHECK_FALSE(sys::exists(s.dst.root() + "/layers/escaped"));

    schema1 = true;
    auto old = pull_image(s.dst, image_ref(registry.host() + "/app:1"), opts());
    REQUIRE_FALSE(old);
    CHECK(old.error().summary() == "manifest " + registry.host() +
                                       "/app:1 is a Docker schema 1 manifest, which is not supported (push it again "
                                       "with a current client to convert it)");
    CHECK(test::store_is_empty(s.dst));
}

} // TEST_SUITE
