#include "tools/wharf/compose_progress.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::cli;
using compose::Step;
using compose::StepEvent;
using compose::StepKind;
using namespace std::chrono_literals;

namespace {

Step step(StepKind kind, std::string target, std::string cause = "no container for replica 1")
{
    Step s;
    s.kind = kind;
    s.target = std::move(target);
    s.cause = std::move(cause);
    return s;
}

std::string join(const std::vector<std::string>& lines)
{
    std::string out;
    for (const auto& l : lines)
        out += l + "\n";
    return out;
}

} // namespace

TEST_SUITE("cli.compose_progress") {

TEST_CASE("ProgressBoard_OneLinePerResourceWithSpinnerAndTimer")
{
    ProgressBoard board;
    ProgressBoard::TimePoint t0{};
    auto net = step(StepKind::CreateNetwork, "shop_default", "network missing");
    auto create = step(StepKind::CreateContainer, "shop-web-1");
    auto start = step(StepKind::StartContainer, "shop-web-1");
    board.on_event({&net, StepEvent::Kind::Began, ""}, t0);
    CHECK(join(board.frame(t0)) == "[+] Running 0/1\n"
                                   " \xe2\xa0\x8b Network shop_default  Creating  0.0s\n");
    board.on_event({&net, StepEvent::Kind::Done, ""}, t0 + 120ms);
    board.on_event({&create, StepEvent::Kind::Began, ""}, t0 + 130ms);
    // The spinner turns every 100 ms; the timer of a running resource ticks.
    CHECK(join(board.frame(t0 + 250ms)) == "[+] Running 1/2\n"
                                           " \xe2\x9c\x94 Network shop_default  Created   0.1s\n"
                                           " \xe2\xa0\xb9 Container shop-web-1  Creating  0.1s\n");
    board.on_event({&create, StepEvent::Kind::Done, ""}, t0 + 300ms);
    board.on_event({&start, StepEvent::Kind::Began, ""}, t0 + 310ms);
    CHECK(join(board.frame(t0 + 640ms)) == "[+] Running 1/2\n"
                                           " \xe2\x9c\x94 Network shop_default  Created   0.1s\n"
                                           " \xe2\xa0\xa6 Container shop-web-1  Starting  0.5s\n");
    board.on_event({&start, StepEvent::Kind::Done, ""}, t0 + 700ms);
    // Finished: the timers stop where the resource's last step ended.
    CHECK(join(board.frame(t0 + 5s)) == "[+] Running 2/2\n"
                                        " \xe2\x9c\x94 Network shop_default  Created  0.1s\n"
                                        " \xe2\x9c\x94 Container shop-web-1  Started  0.6s\n");
}

TEST_CASE("ProgressBoard_FailuresRecreatesAndNarrowTerminals")
{
    ProgressBoard board;
    ProgressBoard::TimePoint t0{};
    auto recreate = step(StepKind::CreateContainer, "shop-web-1", "config changed: command");
    auto start = step(StepKind::StartContainer, "shop-db-1");
    auto skipped = step(StepKind::StartContainer, "shop-app-1");
    board.on_event({&recreate, StepEvent::Kind::Began, ""}, t0);
    board.on_event({&recreate, StepEvent::Kind::Done, ""}, t0 + 200ms);
    board.on_event({&start, StepEvent::Kind::Began, ""}, t0);
    board.on_event({&start, StepEvent::Kind::Failed, "exec: \"nope\": executable file not found"}, t0 + 300ms);
    board.on_event({&skipped, StepEvent::Kind::Skipped, ""}, t0 + 300ms);
    CHECK(join(board.frame(t0 + 1s)) ==
          "[+] Running 2/2\n"
          " \xe2\x9c\x94 Container shop-web-1  Recreated (config changed: command)             0.2s\n"
          " \xe2\x9c\x98 Container shop-db-1   Error: exec: \"nope\": executable file not found  0.3s\n");
    auto narrow = board.frame(t0 + 1s, 30);
    REQUIRE(narrow.size() == 3);
    CHECK(narrow[1] == " \xe2\x9c\x94 Container shop-web-1  Recre");
}

TEST_CASE("ProgressMode_FromTheFlag")
{
    CHECK(progress_mode("plain") == ComposeProgress::Plain);
    CHECK(progress_mode("json") == ComposeProgress::Json);
    CHECK(progress_mode("quiet") == ComposeProgress::Quiet);
    CHECK(progress_mode("tty") == ComposeProgress::Tty);
}

} // TEST_SUITE
