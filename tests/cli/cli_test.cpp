// The CLI frame: Docker's flag syntax, help, version and usage errors with Docker's exit codes.
// A test-only verb registers itself here exactly as a real verb does.
#include "tools/wharf/verb.h"

#include <doctest/doctest.h>
#include <sstream>

using namespace wharf::cli;

namespace {

struct Seen {
    std::vector<std::string> publish;
    std::string name;
    bool interactive = false;
    bool tty = false;
    std::vector<std::string> rest;
} seen;

VerbRegistration reg{{.parent = "", .name = "testrun", .aliases = {}, .help = "Test verb shaped like run",
    .setup = [](CLI::App& cmd, Context&) -> VerbAction {
        cmd.add_option("-p,--publish", seen.publish, "Publish")->type_size(1)->allow_extra_args(false);
        cmd.add_option("--name", seen.name, "Name");
        cmd.add_flag("-i,--interactive", seen.interactive, "Keep STDIN open");
        cmd.add_flag("-t,--tty", seen.tty, "Allocate a TTY");
        take_command_line(cmd, seen.rest);
        return [] { return 0; };
    },
    .usage_exit_code = 125}};

struct Captured {
    int code;
    std::string out, err;
};

Captured run(std::vector<std::string> args)
{
    seen = {};
    std::ostringstream out, err;
    auto* old_out = std::cout.rdbuf(out.rdbuf());
    auto* old_err = std::cerr.rdbuf(err.rdbuf());
    int code = run_cli(std::move(args));
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
    return {code, out.str(), err.str()};
}

} // namespace

TEST_SUITE("cli.frame") {

TEST_CASE("Cli_RepeatedShortOptionsAndEqualsForms")
{
    auto r = run({"wharf", "testrun", "-p", "8080:80", "-p", "9090:90", "--name=web", "img", "ls", "-l"});
    CHECK(r.code == 0);
    CHECK(seen.publish == std::vector<std::string>{"8080:80", "9090:90"});
    CHECK(seen.name == "web");
    // Everything from the image on belongs to the container's command, even flags.
    CHECK(seen.rest == std::vector<std::string>{"img", "ls", "-l"});
}

TEST_CASE("Cli_CombinedShortFlagsAndSeparateNameValue")
{
    auto r = run({"wharf", "testrun", "-it", "--name", "x", "img"});
    CHECK(r.code == 0);
    CHECK(seen.interactive);
    CHECK(seen.tty);
    CHECK(seen.name == "x");
    CHECK(seen.rest == std::vector<std::string>{"img"});
}

TEST_CASE("Cli_DoubleDashEndsOptions")
{
    auto r = run({"wharf", "testrun", "--", "img", "--name", "y"});
    CHECK(r.code == 0);
    CHECK(seen.name.empty());
    CHECK(seen.rest == std::vector<std::string>{"img", "--name", "y"});
}

TEST_CASE("Cli_UnknownFlagIsUsageErrorWithVerbExitCode")
{
    auto r = run({"wharf", "testrun", "--frobnicate", "img"});
    CHECK(r.code == 125);
    CHECK(r.err == "unknown flag: --frobnicate\nSee 'wharf testrun --help'.\n");
}

TEST_CASE("Cli_MissingArgumentIsUsageError")
{
    auto r = run({"wharf", "testrun"});
    CHECK(r.code == 125);
    CHECK(r.err == "\"wharf testrun\" requires at least 1 argument.\nSee 'wharf testrun --help'.\n");
}

TEST_CASE("Cli_UnknownTopLevelFlagExitsOne")
{
    auto r = run({"wharf", "--bogus"});
    CHECK(r.code == 1);
    CHECK(r.err.find("unknown flag: --bogus") != std::string::npos);
}

TEST_CASE("Cli_VersionAndHelp")
{
    auto v = run({"wharf", "--version"});
    CHECK(v.code == 0);
    CHECK(v.out == std::string("wharf version ") + WHARF_VERSION + "\n");
    auto h = run({"wharf", "--help"});
    CHECK(h.code == 0);
    CHECK(h.out.find("testrun") != std::string::npos);
    auto vh = run({"wharf", "testrun", "--help"});
    CHECK(vh.code == 0);
    CHECK(vh.out.find("--publish") != std::string::npos);
}

TEST_CASE("Cli_InvokedAsComposeIsWharfCompose")
{
    auto r = run({"/usr/local/bin/compose", "--help"});
    CHECK(r.code == 0);
    CHECK(r.out.find("Define and run multi-container applications") != std::string::npos);
}

} // TEST_SUITE
