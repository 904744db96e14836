// pull, push, login, logout and search through the CLI against a real docker-registry:
// Docker's output lines and exit codes.
#include "engine/registry/credentials.h"
#include "tests/engine/registry/registry_test_images.h"
#include "tests/support/local_registry.h"
#include "tools/wharf/verb.h"

#include <algorithm>
#include <cstdlib>
#include <doctest/doctest.h>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace wharf;
using wharf::test::TarEntry;

namespace {

struct Captured {
    int code;
    std::string out, err;
};

Captured wharf_cli(std::vector<std::string> args, const std::string& input = {})
{
    std::ostringstream out, err;
    std::istringstream in(input);
    auto* old_out = std::cout.rdbuf(out.rdbuf());
    auto* old_err = std::cerr.rdbuf(err.rdbuf());
    auto* old_in = std::cin.rdbuf(in.rdbuf());
    args.insert(args.begin(), "wharf");
    int code = cli::run_cli(std::move(args));
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
    std::cin.rdbuf(old_in);
    return {code, out.str(), err.str()};
}

/// DOCKER_CONFIG pointed at a temporary directory for the test's lifetime.
struct DockerConfigEnv {
    sys::TempDir dir = sys::TempDir::create("wharf-dockercfg").value();
    std::optional<std::string> old;
    DockerConfigEnv()
    {
        if (const char* v = std::getenv("DOCKER_CONFIG"))
            old = v;
        ::setenv("DOCKER_CONFIG", dir.path().c_str(), 1);
    }
    ~DockerConfigEnv()
    {
        if (old)
            ::setenv("DOCKER_CONFIG", old->c_str(), 1);
        else
            ::unsetenv("DOCKER_CONFIG");
    }
};

} // namespace

TEST_SUITE("cli.registry") {

TEST_CASE("CliRegistry_LoginPushPullSearchLogout")
{
    auto reg = test::LocalRegistry::start({.htpasswd_user = std::make_pair("alice", "pw")});
    REQUIRE(reg);
    DockerConfigEnv env;
    auto dir = sys::TempDir::create("wharf-cli-reg").value();
    std::string src_root = dir.path() + "/src", dst_root = dir.path() + "/dst";
    const std::string host = reg->host();
    engine::Image img;
    {
        auto store = engine::ImageStore::open(src_root).value();
        img = test::make_image(store, dir.path(), {{{TarEntry::File, "hello", "world"}}}, host + "/app:1");
    }

    auto bad = wharf_cli({"login", "-u", "alice", "--password-stdin", host}, "wrong\n");
    CHECK(bad.code == 1);
    CHECK(bad.err == "Error: login attempt to http://" + host + "/v2/ failed with status: 401 Unauthorized\n");
    CHECK_FALSE(sys::exists(env.dir.path() + "/config.json"));

    auto nouser = wharf_cli({"login", "--password-stdin", host}, "pw\n");
    CHECK(nouser.code == 1);
    CHECK(nouser.err == "Error: Must provide --username with --password-stdin\n");

    auto login = wharf_cli({"login", "-u", "alice", "--password-stdin", "http://" + host + "/v2/"}, "pw\n");
    CHECK(login.code == 0);
    CHECK(login.out == "Login Succeeded\n");
    auto config = nlohmann::json::parse(*sys::read_file(env.dir.path() + "/config.json"));
    CHECK(config["auths"][host]["auth"] == engine::registry::base64_encode("alice:pw"));

    std::string layer = img.layers[0].diff_id.short_hex();
    auto push = wharf_cli({"--root", src_root, "push", host + "/app:1"});
    CHECK(push.code == 0);
    CHECK(push.out == "The push refers to repository [" + host + "/app]\n" + layer + ": Preparing\n" + layer +
                          ": Pushed\n1: digest: " + img.manifest_digest.str() + " size: " +
                          std::to_string(engine::ImageStore::open(src_root)->content().size(img.manifest_digest).value()) +
                          "\n");

    std::string blob = img.layers[0].blob_digest.short_hex();
    auto pull = wharf_cli({"--root", dst_root, "pull", host + "/app:1"});
    CHECK(pull.code == 0);
    CHECK(pull.out == "1: Pulling from app\n" + blob + ": Pulling fs layer\n" + blob + ": Verifying Checksum\n" + blob +
                          ": Download complete\n" + blob + ": Pull complete\nDigest: " + img.manifest_digest.str() +
                          "\nStatus: Downloaded newer image for " + host + "/app:1\n" + host + "/app:1\n");
    auto again = wharf_cli({"--root", dst_root, "pull", "-q", host + "/app:1"});
    CHECK(again.code == 0);
    CHECK(again.out == host + "/app:1\n");
    auto uptodate = wharf_cli({"--root", dst_root, "pull", host + "/app:1"});
    CHECK(uptodate.out.find("Status: Image is up to date for " + host + "/app:1\n") != std::string::npos);

    auto latest = wharf_cli({"--root", dst_root, "pull", host + "/app"});
    CHECK(latest.code == 1);
    CHECK(latest.out.starts_with("Using default tag: latest\n"));
    CHECK(latest.err == "Error: manifest for " + host + "/app:latest not found: manifest unknown: manifest unknown\n");

    auto missing = wharf_cli({"--root", dst_root, "push", host + "/nothing:1"});
    CHECK(missing.code == 1);
    CHECK(missing.err == "Error: An image does not exist locally with the tag: " + host + "/nothing:1\n");

    auto search = wharf_cli({"search", host + "/ap"});
    CHECK(search.code == 0);
    CHECK(search.out.starts_with("NAME "));
    CHECK(search.out.find("DESCRIPTION   STARS     OFFICIAL\n" + host + "/app ") != std::string::npos);
    CHECK(std::count(search.out.begin(), search.out.end(), '\n') == 2);
    auto fmt = wharf_cli({"search", "--format", "{{.Name}}", host});
    CHECK(fmt.out == host + "/app\n");
    auto hub = wharf_cli({"search", "nginx"});
    CHECK(hub.code == 1);

    auto logout = wharf_cli({"logout", host});
    CHECK(logout.code == 0);
    CHECK(logout.out == "Removing login credentials for " + host + "\n");
    auto logout2 = wharf_cli({"logout", host});
    CHECK(logout2.out == "Not logged in to " + host + "\n");
    auto denied = wharf_cli({"--root", dir.path() + "/dst2", "pull", host + "/app:1"});
    CHECK(denied.code == 1);
    CHECK(denied.err.find("unauthorized: authentication required") != std::string::npos);
}

} // TEST_SUITE

TEST_SUITE("cli.registry") {

// Credentials only a credential helper knows (tools/fixtures/docker-credential-wharftest on
// PATH): login stores through it, push and pull use it, logout erases it.
TEST_CASE("CliRegistry_CredentialHelperOnly")
{
    auto reg = test::LocalRegistry::start({.htpasswd_user = std::make_pair("carol", "helper-pw")});
    REQUIRE(reg);
    DockerConfigEnv env;
    auto dir = sys::TempDir::create("wharf-cli-credhelper").value();
    std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "";
    std::string helper_store = dir.path() + "/helper-store";
    ::setenv("PATH", (std::string(WHARF_SOURCE_DIR) + "/tools/fixtures:" + old_path).c_str(), 1);
    ::setenv("WHARFTEST_STORE", helper_store.c_str(), 1);
    struct Restore {
        std::string path;
        ~Restore()
        {
            ::setenv("PATH", path.c_str(), 1);
            ::unsetenv("WHARFTEST_STORE");
        }
    } restore{old_path};
    const std::string host = reg->host(), config_path = env.dir.path() + "/config.json";
    std::string src_root = dir.path() + "/src";
    {
        auto store = engine::ImageStore::open(src_root).value();
        test::make_image(store, dir.path(), {{{TarEntry::File, "hello", "helper"}}}, host + "/app:1");
    }
    REQUIRE(sys::write_file_atomic(config_path, R"({"credsStore": "wharftest"})"));

    auto login = wharf_cli({"login", "-u", "carol", "--password-stdin", host}, "helper-pw\n");
    CHECK(login.code == 0);
    CHECK(login.out == "Login Succeeded\n");
    CHECK(login.err.empty()); // no "stored unencrypted" warning: the helper keeps it
    CHECK(*sys::read_file(helper_store) == R"({"Secret":"helper-pw","ServerURL":")" + host + R"(","Username":"carol"})" "\n");
    auto config = nlohmann::json::parse(*sys::read_file(config_path));
    CHECK(config["auths"][host] == nlohmann::json::object());
    CHECK(config["credsStore"] == "wharftest");

    CHECK(wharf_cli({"--root", src_root, "push", host + "/app:1"}).code == 0);
    auto pull = wharf_cli({"--root", dir.path() + "/dst", "pull", "-q", host + "/app:1"});
    CHECK(pull.code == 0);
    CHECK(pull.out == host + "/app:1\n");

    auto logout = wharf_cli({"logout", host});
    CHECK(logout.code == 0);
    CHECK(logout.out == "Removing login credentials for " + host + "\n");
    CHECK(*sys::read_file(helper_store) == "");
    auto denied = wharf_cli({"--root", dir.path() + "/dst2", "pull", host + "/app:1"});
    CHECK(denied.code == 1);
    CHECK(denied.err.find("unauthorized: authentication required") != std::string::npos);

    // credHelpers for this host only, the secret put into the helper by someone else.
    REQUIRE(sys::write_file_atomic(config_path, R"({"credHelpers": {")" + host + R"(": "wharftest"}})"));
    REQUIRE(sys::write_file_atomic(helper_store,
        R"({"ServerURL":")" + host + R"(","Username":"carol","Secret":"helper-pw"})" "\n"));
    auto pull2 = wharf_cli({"--root", dir.path() + "/dst3", "pull", "-q", host + "/app:1"});
    CHECK(pull2.code == 0);
    CHECK(pull2.err == "");

    // A helper that fails fails the pull, naming it (Docker: "error getting credentials").
    ::unsetenv("WHARFTEST_STORE");
    auto broken = wharf_cli({"--root", dir.path() + "/dst4", "pull", host + "/app:1"});
    CHECK(broken.code == 1);
    CHECK(broken.err.find("error getting credentials: docker-credential-wharftest get: exit status 2: ")
          != std::string::npos);
}

}
