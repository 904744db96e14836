// Credential helpers, against tools/fixtures/docker-credential-wharftest (a real program on
// PATH speaking Docker's protocol, keeping its secrets in a temp file).
#include "engine/registry/credential_helper.h"
#include "engine/sys/file.h"
#include "engine/sys/run_program.h"

#include <doctest/doctest.h>
#include <cstdlib>

using namespace wharf;
using namespace wharf::engine::registry;
using namespace std::chrono_literals;

namespace {

/// PATH with the fixture helper first and WHARFTEST_STORE in a temp dir, restored after.
struct HelperEnv {
    sys::TempDir dir = sys::TempDir::create("wharf-credhelper").value();
    std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "";
    std::string store = dir.path() + "/store";
    HelperEnv()
    {
        ::setenv("PATH", (std::string(WHARF_SOURCE_DIR) + "/tools/fixtures:" + old_path).c_str(), 1);
        ::setenv("WHARFTEST_STORE", store.c_str(), 1);
    }
    ~HelperEnv()
    {
        ::setenv("PATH", old_path.c_str(), 1);
        ::unsetenv("WHARFTEST_STORE");
    }
    std::string calls() const { return sys::exists(store + ".calls") ? *sys::read_file(store + ".calls") : ""; }
};

} // namespace

TEST_SUITE("engine.registry.credential_helper") {

TEST_CASE("CredentialHelper_StoreGetErase")
{
    HelperEnv env;
    CredentialHelper h("wharftest");
    auto none = h.get("127.0.0.1:5000");
    REQUIRE(none);
    CHECK_FALSE(none->has_value()); // "credentials not found" is no error
    REQUIRE(h.store("127.0.0.1:5000", Credentials{"alice", "s3cr:et", {}}));
    CHECK(*sys::read_file(env.store) == R"({"Secret":"s3cr:et","ServerURL":"127.0.0.1:5000","Username":"alice"})" "\n");
    auto got = h.get("127.0.0.1:5000");
    REQUIRE(got);
    REQUIRE(got->has_value());
    CHECK((*got)->username == "alice");
    CHECK((*got)->password == "s3cr:et");
    CHECK((*got)->identity_token.empty());
    REQUIRE(h.erase("127.0.0.1:5000"));
    CHECK_FALSE(h.get("127.0.0.1:5000")->has_value());
    CHECK(h.erase("127.0.0.1:5000")); // nothing to erase: not an error
    CHECK(env.calls() == "get\nstore\nget\nerase\nget\nerase\n");
}

TEST_CASE("CredentialHelper_TokenUsernameMeansIdentityToken")
{
    HelperEnv env;
    CredentialHelper h("wharftest");
    REQUIRE(h.store("https://index.docker.io/v1/", Credentials{"bob", "", "refresh-token"}));
    CHECK(*sys::read_file(env.store)
          == R"({"Secret":"refresh-token","ServerURL":"https://index.docker.io/v1/","Username":"<token>"})" "\n");
    auto got = h.get("https://index.docker.io/v1/");
    REQUIRE(got);
    REQUIRE(got->has_value());
    CHECK((*got)->identity_token == "refresh-token");
    CHECK((*got)->username.empty());
}

TEST_CASE("CredentialHelper_FailuresNameTheProgram")
{
    HelperEnv env;
    auto missing = CredentialHelper("nosuchhelper").get("127.0.0.1:5000");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().render().find("docker-credential-nosuchhelper get") != std::string::npos);
    CHECK(missing.error().code() == Errc::NotFound);

    auto slow = CredentialHelper("wharftest", 300ms).get("slow");
    REQUIRE_FALSE(slow);
    CHECK(slow.error().code() == Errc::Interrupted);
    CHECK(slow.error().render().find("docker-credential-wharftest: timed out after 300 ms") != std::string::npos);

    ::unsetenv("WHARFTEST_STORE"); // the helper fails with its own message on stderr
    auto broken = CredentialHelper("wharftest").get("127.0.0.1:5000");
    REQUIRE_FALSE(broken);
    CHECK(broken.error().summary().find("docker-credential-wharftest get: exit status 2: ") == 0);
    CHECK(broken.error().summary().find("WHARFTEST_STORE is not set") != std::string::npos);
}

TEST_CASE("CredentialStore_HelperLookupOrder")
{
    HelperEnv env;
    std::string path = env.dir.path() + "/config.json";
    REQUIRE(sys::write_file_atomic(path, R"({
  "auths": {"127.0.0.1:5000": {"auth": "ZmlsZTpmaWxlcHc="}, "127.0.0.1:6000": {"auth": "ZmlsZTpmaWxlcHc="}},
  "credHelpers": {"127.0.0.1:5000": "wharftest"}
})"));
    auto store = CredentialStore::load(path).value();
    CHECK(store.helper_for("127.0.0.1:5000") == "wharftest");
    CHECK(store.helper_for("127.0.0.1:6000") == "");
    // The helper has none for :5000 -> none (the file's entry is not a fallback, as in Docker).
    CHECK_FALSE(find_credentials(store, "127.0.0.1:5000")->has_value());
    CHECK((*find_credentials(store, "127.0.0.1:6000"))->username == "file");
    REQUIRE(save_credentials(store, "127.0.0.1:5000", Credentials{"helped", "pw", {}}));
    CHECK((*find_credentials(store, "127.0.0.1:5000"))->username == "helped");
    // The file keeps only an empty marker for the helper's host.
    auto text = *sys::read_file(path);
    CHECK(text.find("\"127.0.0.1:5000\": {}") != std::string::npos);
    CHECK(text.find("credHelpers") != std::string::npos);
    CHECK(*remove_credentials(store, "127.0.0.1:5000"));
    CHECK_FALSE(find_credentials(store, "127.0.0.1:5000")->has_value());

    REQUIRE(sys::write_file_atomic(path, R"({"credsStore": "wharftest"})"));
    auto with_store = CredentialStore::load(path).value();
    CHECK(with_store.helper_for("any.example:443") == "wharftest");
    REQUIRE(save_credentials(with_store, "docker.io", Credentials{"hubuser", "hubpw", {}}));
    CHECK(*sys::read_file(env.store) == R"({"Secret":"hubpw","ServerURL":"https://index.docker.io/v1/","Username":"hubuser"})" "\n");
    CHECK((*find_credentials(with_store, "docker.io"))->password == "hubpw");
}

TEST_CASE("RunProgram_CollectsOutputAndStatus")
{
    auto r = sys::run_program({"sh", "-c", "read x; echo out:$x; echo err >&2; exit 3"}, "in\n", 5s);
    REQUIRE(r);
    CHECK(r->out == "out:in\n");
    CHECK(r->err == "err\n");
    CHECK(r->exit_code == 3);
}

}
