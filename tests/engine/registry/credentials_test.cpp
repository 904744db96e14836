#include "engine/registry/credentials.h"
#include "engine/sys/file.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

using namespace wharf;
using namespace wharf::engine::registry;

TEST_SUITE("engine.registry.credentials") {

TEST_CASE("Base64_RoundTripsAndRejectsGarbage")
{
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foo") == "Zm9v");
    CHECK(base64_encode("user:pa:ss") == "dXNlcjpwYTpzcw==");
    CHECK(*base64_decode("dXNlcjpwYTpzcw==") == "user:pa:ss");
    CHECK_FALSE(base64_decode("a*b"));
}

TEST_CASE("CredentialStore_ReadsDockersFileAndKeepsOtherFields")
{
    auto dir = sys::TempDir::create("wharf-creds").value();
    std::string path = dir.path() + "/config.json";
    REQUIRE(sys::write_file_atomic(path, R"({
  "auths": {
    "https://index.docker.io/v1/": {"auth": "aHViOnNlY3JldA=="},
    "http://127.0.0.1:5000/v2/": {"auth": "YWxpY2U6cHc6d2l0aDpjb2xvbnM="}
  },
  "credHelpers": {"gcr.io": "gcloud"},
  "psFormat": "table {{.ID}}"
})"));
    auto store = CredentialStore::load(path);
    REQUIRE(store);
    auto hub = store->get("docker.io");
    REQUIRE(hub);
    CHECK(hub->username == "hub");
    CHECK(hub->password == "secret");
    auto local = store->get("127.0.0.1:5000");
    REQUIRE(local);
    CHECK(local->username == "alice");
    CHECK(local->password == "pw:with:colons");
    CHECK_FALSE(store->get("127.0.0.1:5001"));
    CHECK_FALSE(store->get("gcr.io")); // only in a helper, which wharf does not run

    store->set("localhost:6000", {"bob", "pw", {}});
    REQUIRE(store->save());
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    auto j = nlohmann::json::parse(*sys::read_file(path));
    CHECK(j["auths"]["localhost:6000"]["auth"] == "Ym9iOnB3");
    CHECK(j["credHelpers"]["gcr.io"] == "gcloud");
    CHECK(j["psFormat"] == "table {{.ID}}");

    auto again = CredentialStore::load(path);
    REQUIRE(again);
    CHECK(again->erase("127.0.0.1:5000"));
    CHECK_FALSE(again->erase("127.0.0.1:5000"));
    CHECK(again->erase("docker.io"));
    REQUIRE(again->save());
    auto j2 = nlohmann::json::parse(*sys::read_file(path));
    CHECK(j2["auths"].size() == 1);
    CHECK(j2["auths"].contains("localhost:6000"));
}

TEST_CASE("CredentialStore_MissingFileIsEmptyCorruptFileIsAnError")
{
    auto dir = sys::TempDir::create("wharf-creds").value();
    auto missing = CredentialStore::load(dir.path() + "/nope/config.json");
    REQUIRE(missing);
    CHECK_FALSE(missing->get("docker.io"));
    missing->set("docker.io", {"u", "p", {}});
    REQUIRE(missing->save()); // creates the directory
    auto j = nlohmann::json::parse(*sys::read_file(dir.path() + "/nope/config.json"));
    CHECK(j["auths"].contains("https://index.docker.io/v1/"));

    REQUIRE(sys::write_file_atomic(dir.path() + "/bad.json", "{\"auths\": "));
    auto bad = CredentialStore::load(dir.path() + "/bad.json");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message().starts_with(dir.path() + "/bad.json: "));
}

TEST_CASE("CredentialKey_DockerHubIsKeyedByItsV1Url")
{
    CHECK(credential_key("docker.io") == "https://index.docker.io/v1/");
    CHECK(credential_key("registry-1.docker.io") == "https://index.docker.io/v1/");
    CHECK(credential_key("127.0.0.1:5000") == "127.0.0.1:5000");
}

} // TEST_SUITE
