#include "engine/monitor/json_log.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine;

TEST_SUITE("engine.monitor.json_log") {

TEST_CASE("JsonLog_EncodesAsDockerJsonFile")
{
    auto t = *parse_rfc3339("2019-01-01T11:11:11.111111111Z");
    CHECK(encode_log_entry("hello\n", LogStream::Stdout, t) ==
          "{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2019-01-01T11:11:11.111111111Z\"}\n");
    auto half = *parse_rfc3339("2019-01-01T11:11:11.5Z");
    CHECK(encode_log_entry("<a&b>\t\"\\\x01", LogStream::Stderr, half) ==
          "{\"log\":\"\\u003ca\\u0026b\\u003e\\t\\\"\\\\\\u0001\",\"stream\":\"stderr\",\"time\":\"2019-01-01T11:11:11.5Z\"}\n");
    CHECK(encode_log_entry("", LogStream::Stdout, *parse_rfc3339("2019-01-01T11:11:11Z")) ==
          "{\"stream\":\"stdout\",\"time\":\"2019-01-01T11:11:11Z\"}\n");
}

TEST_CASE("JsonLog_InvalidUtf8BecomesReplacement")
{
    CHECK(json_escape_log("a\xff" "b") == "a\\ufffdb");
    CHECK(json_escape_log("é") == "é");
    CHECK(json_escape_log("\xE2\x80\xA8") == "\\u2028");
}

TEST_CASE("JsonLog_DecodeReadsBack")
{
    auto e = decode_log_entry(R"({"log":"x\n","stream":"stderr","time":"2019-01-01T11:11:11Z"})");
    REQUIRE(e);
    CHECK(e->log == "x\n");
    CHECK(e->stream == LogStream::Stderr);
    CHECK_FALSE(decode_log_entry("not json"));
}

TEST_CASE("Clock_DurationsAndHumanText")
{
    CHECK(*parse_go_duration("1m30s") == 90'000'000'000);
    CHECK(*parse_go_duration("500ms") == 500'000'000);
    CHECK_FALSE(parse_go_duration("5 parsecs"));
    using namespace std::chrono;
    CHECK(human_duration(milliseconds(300)) == "Less than a second");
    CHECK(human_duration(seconds(5)) == "5 seconds");
    CHECK(human_duration(seconds(70)) == "About a minute");
    CHECK(human_duration(minutes(5)) == "5 minutes");
    CHECK(human_duration(hours(3)) == "3 hours");
}

}
