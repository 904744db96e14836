#include "tools/wharf/build_progress.h"

#include <doctest/doctest.h>
#include <regex>
#include <sstream>

using namespace wharf;
using namespace wharf::cli;
using engine::build::StepInfo;

namespace {

/// Times vary; the layout must not.
std::string untimed(const std::string& s)
{
    std::string out = std::regex_replace(s, std::regex(R"(DONE [0-9]+\.[0-9]s)"), "DONE T");
    return std::regex_replace(out, std::regex(R"((#[0-9]+) [0-9]+\.[0-9]{3} )"), "$1 T ");
}

StepInfo step(size_t n, size_t total, std::string text, std::string stage = {})
{
    return StepInfo {n, total, std::move(text), std::move(stage), n, total};
}

} // namespace

TEST_SUITE("cli.build_progress")
{

    TEST_CASE("BuildProgress_Plain_VerticesOutputCachedAndNaming")
    {
        std::ostringstream out;
        BuildProgressPrinter p(out, ProgressMode::Plain);
        p.begin("Dockerfile");
        auto from = step(1, 3, "FROM localhost/busybox:latest");
        p.step_started(from);
        p.step_done(from, "abc", 0.01);
        auto run = step(2, 3, "RUN echo hi && echo there");
        p.step_started(run);
        p.output("hi\nthe");
        p.output("re\r\npartial");
        p.step_done(run, "def", 0.2);
        auto copy = step(3, 3, "COPY . /www");
        p.step_started(copy);
        p.step_cached(copy);
        p.step_done(copy, "123", 0.0);
        p.finished("sha256:0123", {"localhost/app:latest", "localhost/app:v1"});
        CHECK(untimed(out.str())
            == "#1 [internal] load build definition from Dockerfile\n"
               "#1 DONE T\n"
               "\n"
               "#2 [1/3] FROM localhost/busybox:latest\n"
               "#2 DONE T\n"
               "\n"
               "#3 [2/3] RUN echo hi && echo there\n"
               "#3 T hi\n"
               "#3 T there\n"
               "#3 T partial\n"
               "#3 DONE T\n"
               "\n"
               "#4 [3/3] COPY . /www\n"
               "#4 CACHED\n"
               "\n"
               "#5 exporting to image\n"
               "#5 writing image sha256:0123 done\n"
               "#5 naming to localhost/app:latest done\n"
               "#5 naming to localhost/app:v1 done\n"
               "#5 DONE T\n");
    }

    TEST_CASE("BuildProgress_Quiet_SilentUntilAStepFails")
    {
        std::ostringstream out;
        BuildProgressPrinter p(out, ProgressMode::Quiet);
        p.begin("Dockerfile");
        auto run = step(2, 2, "RUN make");
        p.step_started(run);
        p.output("cc -o app app.c\napp.c:1: error\n");
        CHECK(out.str().empty());
        p.fail_step(
            Error(Errc::Invalid, "process \"/bin/sh -c make\" did not complete successfully: exit code: 2"));
        CHECK(out.str() == "------\n > [2/2] RUN make:\ncc -o app app.c\napp.c:1: error\n------\n");
    }

    TEST_CASE("BuildProgress_Plain_FailureLine")
    {
        std::ostringstream out;
        BuildProgressPrinter p(out, ProgressMode::Plain);
        auto run = step(2, 2, "RUN exit 3", "build");
        p.step_started(run);
        p.fail_step(Error(
            Errc::Invalid, "process \"/bin/sh -c exit 3\" did not complete successfully: exit code: 3"));
        CHECK(out.str()
            == "#1 [build 2/2] RUN exit 3\n"
               "#1 ERROR: process \"/bin/sh -c exit 3\" did not complete successfully: exit code: 3\n");
    }

    TEST_CASE("BuildProgress_ModeNames")
    {
        CHECK(*parse_progress_mode("plain", -1) == ProgressMode::Plain);
        CHECK(*parse_progress_mode("tty", -1) == ProgressMode::Tty);
        CHECK(*parse_progress_mode("quiet", -1) == ProgressMode::Quiet);
        CHECK(*parse_progress_mode("auto", -1) == ProgressMode::Plain); // not a terminal
        auto bad = parse_progress_mode("fancy", -1);
        REQUIRE_FALSE(bad);
        CHECK(
            bad.error().summary() == "invalid progress mode \"fancy\" (expected auto, plain, tty or quiet)");
    }

} // TEST_SUITE
