#include "engine/api/image_reference.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine;

namespace {
std::string norm(const std::string& s)
{
    auto r = ImageReference::parse(s);
    return r ? r->str() : "ERR: " + r.error().summary();
}
std::string fam(const std::string& s)
{
    auto r = ImageReference::parse(s);
    return r ? r->familiar() : "ERR";
}
const std::string kHex = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
} // namespace

TEST_SUITE("engine.image.reference") {

TEST_CASE("Reference_NormalisesDockerHubNames")
{
    CHECK(norm("nginx") == "docker.io/library/nginx:latest");
    CHECK(norm("nginx:1.25") == "docker.io/library/nginx:1.25");
    CHECK(norm("user/app") == "docker.io/user/app:latest");
    CHECK(norm("docker.io/redis") == "docker.io/library/redis:latest");
    CHECK(norm("index.docker.io/library/redis:7") == "docker.io/library/redis:7");
    CHECK(fam("docker.io/library/redis:7") == "redis:7");
    CHECK(fam("docker.io/me/app") == "me/app:latest");
}

TEST_CASE("Reference_OtherRegistriesKeepTheirPath")
{
    CHECK(norm("localhost/busybox") == "localhost/busybox:latest");
    CHECK(norm("localhost:5000/a/b") == "localhost:5000/a/b:latest");
    CHECK(norm("127.0.0.1:5000/app:v1") == "127.0.0.1:5000/app:v1");
    CHECK(norm("[::1]:5000/app") == "[::1]:5000/app:latest");
    CHECK(norm("example.com/x") == "example.com/x:latest");
    CHECK(fam("localhost/busybox") == "localhost/busybox:latest");
    auto r = ImageReference::parse("127.0.0.1:5000/app");
    REQUIRE(r);
    CHECK(r->registry_host() == "127.0.0.1:5000");
    CHECK(ImageReference::parse("nginx")->registry_host() == "registry-1.docker.io");
}

TEST_CASE("Reference_DigestWinsOverTag")
{
    CHECK(norm("busybox:latest@sha256:" + kHex) == "docker.io/library/busybox@sha256:" + kHex);
    auto r = ImageReference::parse("localhost/x@sha256:" + kHex);
    REQUIRE(r);
    CHECK(r->tag.empty());
    CHECK(r->digest->hex() == kHex);
}

TEST_CASE("Reference_ErrorsNameTheProblem")
{
    CHECK(norm("Foo/bar") == "Foo/bar:latest"); // an uppercase first component is a registry host
    CHECK(norm("localhost/Bar") == "ERR: invalid reference format: repository name (Bar) must be lowercase");
    CHECK(norm(kHex) == "ERR: invalid reference format: cannot specify 64-byte hexadecimal strings (\"" + kHex + "\")");
    CHECK(norm("a:b:c") == "ERR: invalid reference format: invalid repository name component \"a:b\" (\"a:b:c\")");
    CHECK(norm("") == "ERR: invalid reference format: empty reference (\"\")");
    CHECK(norm("nginx:") == "ERR: invalid reference format: invalid tag \"\" (\"nginx:\")");
    CHECK(norm("a//b") == "ERR: invalid reference format: invalid repository name component \"\" (\"a//b\")");
    CHECK(norm("UPPER") == "ERR: invalid reference format: repository name (UPPER) must be lowercase");
}

TEST_CASE("Reference_ImageIdForms")
{
    CHECK(is_image_id(kHex));
    CHECK(is_image_id("sha256:" + kHex));
    CHECK_FALSE(is_image_id("abc"));
    CHECK(is_id_prefix("44136f"));
    CHECK_FALSE(is_id_prefix("busybox"));
}

}
