#include "compose/loader/units.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::compose;
using namespace wharf::compose::loader;

TEST_SUITE("compose.loader.units") {

TEST_CASE("Units_DurationsAsGoParsesThem")
{
    CHECK(parse_duration("1m30s")->nanoseconds == 90'000'000'000);
    CHECK(parse_duration("1.5h")->nanoseconds == 5'400'000'000'000);
    CHECK(parse_duration("500ms")->nanoseconds == 500'000'000);
    CHECK(parse_duration("-2us")->nanoseconds == -2'000);
    CHECK(parse_duration("0")->nanoseconds == 0);
    CHECK(parse_duration("10x").error().message() == "invalid duration \"10x\"");
    CHECK(parse_duration("1.2.3s").error().message() == "invalid duration \"1.2.3s\"");
    CHECK(parse_duration("s").error().message() == "invalid duration \"s\"");
    // Found by the fuzzer: what does not fit int64 nanoseconds is an error, not a wrap.
    CHECK(parse_duration("9000000000000000000000s").error().message() ==
          "invalid duration \"9000000000000000000000s\": out of range");
}

TEST_CASE("Units_ByteSizes")
{
    CHECK(*parse_bytes("64m") == 64 * 1024 * 1024);
    CHECK(*parse_bytes("1GB") == 1024LL * 1024 * 1024);
    CHECK(*parse_bytes("512") == 512);
    CHECK(*parse_bytes("1.5k") == 1536);
    CHECK(parse_bytes("12parsecs").error().message() == "invalid size \"12parsecs\"");
    CHECK(parse_bytes("1.2.3m").error().message() == "invalid size \"1.2.3m\"");
    CHECK(parse_bytes("99999999999p").error().message() == "invalid size \"99999999999p\": out of range");
}

} // TEST_SUITE
