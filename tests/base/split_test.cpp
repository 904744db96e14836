// Fields, lines and words as the stream loops they replace would read them.
#include "engine/base/split.h"

#include <doctest/doctest.h>
#include <string>

using namespace wharf;
using V = std::vector<std::string_view>;

TEST_SUITE("base.split") {

TEST_CASE("Split_KeepsEveryField")
{
    CHECK(split("a::b:", ':') == V{"a", "", "b", ""});
    CHECK(split("root:x:0:0:root:/root:/bin/sh", ':').size() == 7);
    CHECK(split(":", ':') == V{"", ""});
    CHECK(split("abc", ':') == V{"abc"});
    CHECK(split("", ':').empty());
}

TEST_CASE("SplitLines_AsAGetlineLoop")
{
    CHECK(split_lines("x\ny\n") == V{"x", "y"});
    CHECK(split_lines("x\ny") == V{"x", "y"});
    CHECK(split_lines("x\n\ny\n") == V{"x", "", "y"});
    CHECK(split_lines("\n") == V{""});
    CHECK(split_lines("").empty());
}

TEST_CASE("SplitWords_AsStreamExtraction")
{
    CHECK(split_words(" a\tb  c\n") == V{"a", "b", "c"});
    CHECK(split_words("nameserver 10.0.0.1") == V{"nameserver", "10.0.0.1"});
    CHECK(split_words("32768\t60999\n") == V{"32768", "60999"});
    CHECK(split_words("   ").empty());
    CHECK(split_words("").empty());
    std::string text = "12 34";
    auto words = split_words(text);
    REQUIRE(words.size() == 2);
    CHECK(words[1].data() == text.data() + 3); // views into the text, no copies
}

}
