// Dockerfile word processing: quotes, escapes, variable substitution and its modifiers.
#include "engine/build/shell_words.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine::build;

namespace {
const VarMap vars {
    {"NAME", "web"}, {"EMPTY", ""}, {"PATH_", "/usr/local/bin:/usr/bin"}, {"FILE", "a.tar.gz"}};

std::string ex(std::string_view w)
{
    auto r = expand_word(w, vars);
    REQUIRE(r);
    return *r;
}
} // namespace

TEST_SUITE("build.shell_words")
{

    TEST_CASE("ShellWords_PlainAndBraced")
    {
        CHECK(ex("$NAME") == "web");
        CHECK(ex("${NAME}_1") == "web_1");
        CHECK(ex("/srv/$NAME/x") == "/srv/web/x");
        CHECK(ex("$UNSET") == "");
        CHECK(ex("a$") == "a$");
        CHECK(ex("$ x") == "$ x");
    }

    TEST_CASE("ShellWords_Modifiers")
    {
        CHECK(ex("${UNSET:-def}") == "def");
        CHECK(ex("${EMPTY:-def}") == "def");
        CHECK(ex("${EMPTY-def}") == "");
        CHECK(ex("${NAME:-def}") == "web");
        CHECK(ex("${NAME:+alt}") == "alt");
        CHECK(ex("${EMPTY:+alt}") == "");
        CHECK(ex("${EMPTY+alt}") == "alt");
        CHECK(ex("${UNSET:+alt}") == "");
        CHECK(ex("${UNSET:-${NAME}-x}") == "web-x");
        CHECK(ex("${FILE%.gz}") == "a.tar");
        CHECK(ex("${FILE%%.*}") == "a");
        CHECK(ex("${FILE#*.}") == "tar.gz");
        CHECK(ex("${FILE##*.}") == "gz");
    }

    TEST_CASE("ShellWords_RequiredVariable")
    {
        auto r = expand_word("${UNSET:?must be set}", vars);
        REQUIRE_FALSE(r);
        CHECK(r.error().message() == "UNSET: must be set");
    }

    TEST_CASE("ShellWords_QuotesAndEscapes")
    {
        CHECK(ex("'$NAME'") == "$NAME");
        CHECK(ex("\"$NAME and 'x'\"") == "web and 'x'");
        CHECK(ex("\\$NAME") == "$NAME");
        CHECK(ex("\\${NAME}") == "${NAME}");
        CHECK(ex("\"a\\\"b\\$c\\d\"") == "a\"b$c\\d");
        CHECK(ex("a\\ b") == "a b");
        auto bt = expand_word("`$NAME", vars, '`');
        REQUIRE(bt);
        CHECK(*bt == "$NAME");
    }

    TEST_CASE("ShellWords_UnterminatedFails")
    {
        auto q = expand_word("'abc", vars);
        REQUIRE_FALSE(q);
        CHECK(q.error().message() == "unexpected end of statement while looking for matching single-quote");
        auto b = expand_word("${NAME", vars);
        REQUIRE_FALSE(b);
        CHECK(b.error().message() == "missing '}'");
    }

    TEST_CASE("ShellWords_SplitKeepsQuotedSpaces")
    {
        auto w = expand_words("  $NAME \"a b\"  c\\ d 'e f' ", vars);
        REQUIRE(w);
        CHECK(*w == std::vector<std::string> {"web", "a b", "c d", "e f"});
    }

    TEST_CASE("ShellWords_KeyValuesNewAndLegacyForms")
    {
        auto kv = parse_key_values("ENV", "A=1 B=\"two words\" C=$NAME D=", vars, '\\', true);
        REQUIRE(kv);
        REQUIRE(kv->size() == 4);
        CHECK((*kv)[1].value == "two words");
        CHECK((*kv)[2].value == "web");
        CHECK((*kv)[3].value == "");
        auto legacy = parse_key_values("ENV", "GREETING hello  $NAME world", vars, '\\', true);
        REQUIRE(legacy);
        REQUIRE(legacy->size() == 1);
        CHECK((*legacy)[0].key == "GREETING");
        CHECK((*legacy)[0].value == "hello  web world");
        auto label = parse_key_values("LABEL", "\"com.example.vendor\"=\"ACME Inc\"", vars);
        REQUIRE(label);
        CHECK((*label)[0].key == "com.example.vendor");
        CHECK((*label)[0].value == "ACME Inc");
    }

    TEST_CASE("ShellWords_KeyValueErrors")
    {
        auto bad = parse_key_values("LABEL", "a=1 b", vars);
        REQUIRE_FALSE(bad);
        CHECK(
            bad.error().message() == "Syntax error - can't find = in \"b\". Must be of the form: name=value");
        auto blank = parse_key_values("ENV", "=x", vars, '\\', true);
        REQUIRE_FALSE(blank);
        CHECK(blank.error().message() == "ENV names can not be blank");
    }

    TEST_CASE("ShellWords_HeredocTextKeepsQuotes")
    {
        auto t = expand_text("say \"$NAME\" 'x' \\$HOME\n", vars);
        REQUIRE(t);
        CHECK(*t == "say \"web\" 'x' $HOME\n");
    }

} // TEST_SUITE
