// The pure parts of the registry client: URL handling, error bodies, Link pagination.
#include "engine/registry/http.h"
#include "engine/registry/registry_client.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine::registry;

TEST_SUITE("engine.registry.client") {

TEST_CASE("Registry_LoopbackHostsAreInsecureByDefault")
{
    CHECK(is_loopback_registry("localhost"));
    CHECK(is_loopback_registry("localhost:5000"));
    CHECK(is_loopback_registry("127.0.0.1:5000"));
    CHECK(is_loopback_registry("127.1.2.3"));
    CHECK(is_loopback_registry("[::1]:5000"));
    CHECK_FALSE(is_loopback_registry("127.example.com"));
    CHECK_FALSE(is_loopback_registry("registry-1.docker.io"));
    CHECK_FALSE(is_loopback_registry("10.0.0.1:5000"));
}

TEST_CASE("Registry_ErrorBodyText")
{
    CHECK(registry_error_text(404, R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"x"}}]})") ==
          "manifest unknown: manifest unknown");
    CHECK(registry_error_text(401, R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})") ==
          "unauthorized: authentication required");
    CHECK(registry_error_text(502, "<html>bad gateway</html>") == "HTTP 502");
}

TEST_CASE("Registry_LinkNextAndUrls")
{
    CHECK(link_next(R"(</v2/_catalog?last=b&n=2>; rel="next")") == "/v2/_catalog?last=b&n=2");
    CHECK(link_next(R"(<http://x/prev>; rel="prev", <http://x/next>; rel=next)") == "http://x/next");
    CHECK(link_next("") == "");
    CHECK(*resolve_url("http://127.0.0.1:5000/v2/a/blobs/uploads/", "/v2/a/blobs/uploads/u1?_state=x") ==
          "http://127.0.0.1:5000/v2/a/blobs/uploads/u1?_state=x");
    CHECK(*resolve_url("http://127.0.0.1:5000/v2/a/", "http://other:1/up") == "http://other:1/up");
    CHECK(*append_query("http://h/v2/a/blobs/uploads/u1?_state=x%3D", "digest", "sha256:ab") ==
          "http://h/v2/a/blobs/uploads/u1?_state=x%3D&digest=sha256%3aab");
    CHECK(repository_scope("library/busybox", false) == "repository:library/busybox:pull");
    CHECK(repository_scope("a", true) == "repository:a:pull,push");
}

} // TEST_SUITE
