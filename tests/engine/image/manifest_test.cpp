#include "engine/image/manifest.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine;

namespace {
const std::string kD1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
const std::string kD2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
const std::string kD3 = "sha256:3333333333333333333333333333333333333333333333333333333333333333";
} // namespace

TEST_SUITE("engine.image.manifest") {

TEST_CASE("Manifest_ParseDockerSchema2")
{
    std::string body = R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
      "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":")" + kD1 + R"(","size":7},
      "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":")" + kD2 + R"(","size":9}]})";
    auto m = parse_manifest(body, "application/vnd.docker.distribution.manifest.v2+json");
    REQUIRE(m);
    CHECK(m->config.digest.str() == kD1);
    CHECK(m->layers.size() == 1);
    CHECK(m->layers[0].size == 9);
    auto again = parse_manifest(serialize(*m));
    REQUIRE(again);
    CHECK(again->layers[0].digest.str() == kD2);
}

TEST_CASE("Manifest_RejectsMismatchAndSchema1")
{
    auto r = parse_manifest(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"digest":")" +
                                kD1 + R"(","size":1},"layers":[]})",
                            "application/vnd.docker.distribution.manifest.v2+json");
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() == "invalid manifest: mediaType \"application/vnd.oci.image.manifest.v1+json\" does not "
                                 "match Content-Type \"application/vnd.docker.distribution.manifest.v2+json\"");
    r = parse_manifest(R"({"schemaVersion":1,"name":"x","fsLayers":[]})",
                       "application/vnd.docker.distribution.manifest.v1+prettyjws");
    REQUIRE_FALSE(r);
    CHECK(r.error().summary().starts_with("unsupported manifest format: Docker schema 1"));
}

TEST_CASE("Index_SelectsPlatformSkippingAttestations")
{
    std::string body = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
      {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" + kD1 + R"(","size":1,"platform":{"os":"linux","architecture":"arm","variant":"v6"}},
      {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" + kD3 + R"(","size":1,"platform":{"os":"unknown","architecture":"unknown"},"annotations":{"vnd.docker.reference.type":"attestation-manifest"}},
      {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" + kD2 + R"(","size":1,"platform":{"os":"linux","architecture":"amd64"}},
      {"mediaType":"application/x-unknown","digest":")" + kD3 + R"(","size":1}]})";
    auto idx = parse_index(body);
    REQUIRE(idx);
    auto amd = select_platform(*idx, {"linux", "x86_64", ""});
    REQUIRE(amd);
    CHECK(amd->digest.str() == kD2);
    auto arm7 = select_platform(*idx, {"linux", "arm", "v7"}); // falls back to v6
    REQUIRE(arm7);
    CHECK(arm7->digest.str() == kD1);
    auto s390 = select_platform(*idx, {"linux", "s390x", ""});
    REQUIRE_FALSE(s390);
    CHECK(s390.error().summary() ==
          "no matching manifest for linux/s390x in the manifest list entries (offered: linux/arm/v6, linux/amd64)");
}

TEST_CASE("Platform_Normalisation")
{
    CHECK(normalize_platform({"linux", "aarch64", "v8"}).str() == "linux/arm64");
    CHECK(normalize_platform({"linux", "armhf", ""}).str() == "linux/arm/v7");
    CHECK(parse_platform("linux/amd64")->str() == "linux/amd64");
    CHECK_FALSE(parse_platform("amd64"));
}

}
