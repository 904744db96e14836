// `wharf compose config` end to end through the CLI frame, on files in a temporary directory:
// YAML and JSON output, --services/--profiles lists, exit code 1 with the error for a broken
// file and for a dependency cycle.
#include "tools/wharf/verb.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

using namespace wharf::cli;
namespace fs = std::filesystem;

namespace {

struct Captured {
    int code;
    std::string out, err;
};

Captured run(std::vector<std::string> args)
{
    std::ostringstream out, err;
    auto* old_out = std::cout.rdbuf(out.rdbuf());
    auto* old_err = std::cerr.rdbuf(err.rdbuf());
    int code = run_cli(std::move(args));
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
    return {code, out.str(), err.str()};
}

/// A directory with one compose.yaml, removed at the end of the test.
struct TempProject {
    fs::path dir;
    explicit TempProject(const std::string& yaml)
    {
        char tmpl[] = "/tmp/wharf-config-XXXXXX";
        REQUIRE(mkdtemp(tmpl) != nullptr);
        dir = fs::path(tmpl) / "shop";
        fs::create_directory(dir);
        std::ofstream(dir / "compose.yaml") << yaml;
    }
    ~TempProject() { fs::remove_all(dir.parent_path()); }
    std::string file() const { return (dir / "compose.yaml").string(); }
};

} // namespace

TEST_SUITE("cli.compose_config") {

TEST_CASE("ComposeConfig_PrintsYamlJsonAndLists")
{
    TempProject p("services:\n  web:\n    image: localhost/web\n    ports: [\"8080:80\"]\n"
                  "  dbg:\n    image: localhost/dbg\n    profiles: [debug]\n");
    auto y = run({"wharf", "compose", "-f", p.file(), "config"});
    CHECK(y.code == 0);
    CHECK(y.out.rfind("name: shop\nservices:\n  web:\n", 0) == 0);
    CHECK(y.out.find("        published: \"8080\"\n") != std::string::npos);
    auto j = run({"wharf", "compose", "-f", p.file(), "config", "--format", "json"});
    CHECK(j.code == 0);
    CHECK(j.out.find("\"published\": \"8080\"") != std::string::npos);
    CHECK(j.out.find("\"command\": null") != std::string::npos);
    CHECK(run({"wharf", "compose", "-f", p.file(), "config", "--services"}).out == "web\n");
    CHECK(run({"wharf", "compose", "-f", p.file(), "config", "--profiles"}).out == "debug\n");
}

TEST_CASE("ComposeConfig_BrokenFileExitsOneWithTheError")
{
    TempProject p("services:\n  web:\n    image: x\n    prots: [80]\n");
    auto r = run({"wharf", "compose", "-f", p.file(), "config"});
    CHECK(r.code == 1);
    CHECK(r.out.empty());
    CHECK(r.err.find("services.web: additional property \"prots\" is not allowed (did you mean \"ports\"?)\n"
                     "    4 |     prots: [80]\n"
                     "      |     ^\n") != std::string::npos);
}

TEST_CASE("ComposeConfig_DependencyCycleIsRefused")
{
    TempProject p("services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    links: [a]\n");
    auto r = run({"wharf", "compose", "-f", p.file(), "config"});
    CHECK(r.code == 1);
    CHECK(r.err.find("dependency cycle: a -> b -> a") != std::string::npos);
}

} // TEST_SUITE
