#include "tests/compose/loader/load_helper.h"

using namespace wharf;
using namespace wharf::compose;
using namespace wharf::compose::test;

TEST_SUITE("compose.loader.environment") {

TEST_CASE("Environment_ListAndMapFormsAgree")
{
    auto a = service("services:\n  web:\n    image: x\n    environment:\n      - A=1\n      - B=\n      - C=x=y\n");
    auto b = service("services:\n  web:\n    image: x\n    environment:\n      A: 1\n      B: \"\"\n      C: x=y\n");
    CHECK(a.environment == MappingWithEquals{{"A", "1"}, {"B", ""}, {"C", "x=y"}});
    CHECK(a.environment == b.environment);
}

TEST_CASE("Environment_BareKeyTakesTheVariableOrStaysUnset")
{
    auto t = service("services:\n  web:\n    image: x\n    environment:\n      - FROM_ENV\n      - MISSING\n", "web",
        {{"FROM_ENV", "hello"}});
    CHECK(t.environment.at("FROM_ENV") == std::optional<std::string>("hello"));
    CHECK(t.environment.at("MISSING") == std::nullopt);
    auto m = service("services:\n  web:\n    image: x\n    environment:\n      FROM_ENV:\n      EMPTY: \"\"\n", "web",
        {{"FROM_ENV", "v"}});
    CHECK(m.environment.at("FROM_ENV") == std::optional<std::string>("v"));
    CHECK(m.environment.at("EMPTY") == std::optional<std::string>(""));
}

TEST_CASE("Environment_PlainNumbersAndBooleansPrintAsComposeGoDoes")
{
    // go-yaml decodes them to Go values and fmt.Sprint prints them back.
    auto m = service("services:\n  web:\n    image: x\n    environment:\n      NUM: 1.50\n      BIG: 1000000.0\n"
                     "      HEX: 0x1F\n      OCT: 017\n      T: True\n      Q: \"1.50\"\n      I: ${V}\n",
        "web", {{"V", "1.50"}});
    CHECK(m.environment == MappingWithEquals{{"NUM", "1.5"}, {"BIG", "1e+06"}, {"HEX", "31"}, {"OCT", "15"},
                               {"T", "true"}, {"Q", "1.50"}, {"I", "1.50"}});
}

TEST_CASE("Environment_ValuesMustBeScalars")
{
    CHECK(error_of("services:\n  web:\n    image: x\n    environment:\n      A: [1]\n") ==
          "compose.yaml:5:10: services.web.environment.A: must be a string, a number, a boolean or null, not a list");
}

TEST_CASE("Environment_ListEntriesNeedAName")
{
    // Found by the fuzzer: "=A" would print as `"": A`, which no loader accepts back.
    CHECK(error_of("services:\n  web:\n    image: x\n    environment: [B=1, =A]\n") ==
          "compose.yaml:4:24: services.web.environment[1]: invalid entry \"=A\": expected KEY or KEY=VALUE");
    CHECK(error_of("services:\n  web:\n    image: x\n    labels: [\"=x\"]\n") ==
          "compose.yaml:4:14: services.web.labels[0]: invalid entry \"=x\": expected KEY or KEY=VALUE");
}

TEST_CASE("EnvFile_ValuesFillWhatEnvironmentLeavesUnset")
{
    FakeFs fs;
    fs.files["/project/compose.yaml"] = "services:\n  web:\n    image: x\n    env_file:\n      - a.env\n      - b.env\n"
                                        "    environment:\n      KEEP: mine\n";
    fs.files["/project/a.env"] = "A=1\nKEEP=theirs\nSHARED=from-a\n";
    fs.files["/project/b.env"] = "# comment\nexport B=2\nSHARED=from-b\nREF=${A}-x\n";
    auto r = load_project(fs.options({"compose.yaml"}));
    REQUIRE_MESSAGE(bool(r), (r ? std::string() : r.error().render()));
    const auto& s = r->project.services.at("web");
    CHECK(s.environment == MappingWithEquals{{"A", "1"}, {"B", "2"}, {"KEEP", "mine"}, {"SHARED", "from-b"},
                               {"REF", "-x"}});
    REQUIRE(s.env_files.size() == 2);
    CHECK(s.env_files[0] == EnvFile{"/project/a.env", true, ""});
}

TEST_CASE("EnvFile_LongFormOptionalFileMayBeMissing")
{
    FakeFs fs;
    fs.files["/project/compose.yaml"] = "services:\n  web:\n    image: x\n    env_file:\n"
                                        "      - path: ./missing.env\n        required: false\n"
                                        "      - path: raw.env\n        format: raw\n";
    fs.files["/project/raw.env"] = "Q='quoted $X'\n";
    auto r = load_project(fs.options({"compose.yaml"}, {{"X", "no"}}));
    REQUIRE_MESSAGE(bool(r), (r ? std::string() : r.error().render()));
    const auto& s = r->project.services.at("web");
    CHECK(s.env_files == std::vector<EnvFile>{{"/project/missing.env", false, ""}, {"/project/raw.env", true, "raw"}});
    CHECK(s.environment.at("Q") == std::optional<std::string>("'quoted $X'"));
}

TEST_CASE("EnvFile_MissingRequiredFileIsAnError")
{
    FakeFs fs;
    fs.files["/project/compose.yaml"] = "services:\n  web:\n    image: x\n    env_file: nope.env\n";
    auto r = load_project(fs.options({"compose.yaml"}));
    REQUIRE_FALSE(r);
    CHECK(r.error().render() == "compose.yaml:4:15: services.web.env_file: env file /project/nope.env not found\n"
                                "    4 |     env_file: nope.env\n"
                                "      |               ^\n");
}

TEST_CASE("EnvFile_OnlyServicesInUseNeedTheirFiles")
{
    // docker compose's TestUnusedMissingEnvFile: `up serviceA` works although serviceB's
    // env file is missing; a service disabled by a profile never needs its file.
    FakeFs fs;
    fs.files["/project/compose.yaml"] = "services:\n  a:\n    image: x\n  b:\n    image: x\n    env_file: /nope/.env\n"
                                        "  c:\n    image: x\n    profiles: [test]\n    env_file: test.env\n";
    auto opts = fs.options({"compose.yaml"});
    opts.services = {"a"};
    auto r = load_project(opts);
    REQUIRE_MESSAGE(bool(r), (r ? std::string() : r.error().render()));
    CHECK(r->project.services.count("b") == 1);
    CHECK(r->project.disabled_services.count("c") == 1);
    auto all = load_project(fs.options({"compose.yaml"}));
    REQUIRE_FALSE(all);
    CHECK(all.error().summary() == "compose.yaml:6:15: services.b.env_file: env file /nope/.env not found");
    auto with_profile = fs.options({"compose.yaml"});
    with_profile.services = {"c"};
    auto c = load_project(with_profile);
    REQUIRE_FALSE(c);
    CHECK(c.error().summary() == "compose.yaml:10:15: services.c.env_file: env file /project/test.env not found");
}

} // TEST_SUITE
