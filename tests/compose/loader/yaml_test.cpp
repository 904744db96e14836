// The YAML reader (node.cpp, on libyaml): marks, syntax errors worded as go-yaml's, anchors
// and merge keys, duplicate keys, alias bombs, tags.
#include "compose/loader/node.h"
#include "tests/compose/loader/load_helper.h"

using namespace wharf;
using namespace wharf::compose;
using namespace wharf::compose::test;

TEST_SUITE("compose.loader.yaml") {

TEST_CASE("Yaml_SyntaxErrorsAsDockerComposeWordsThem")
{
    auto r = load("services:\n  web:\n    image: x\n   ports: [1]\n");
    REQUIRE_FALSE(r);
    CHECK(r.error().render() == "compose.yaml:4:4: yaml: did not find expected key\n"
                                "    4 |    ports: [1]\n"
                                "      |    ^\n");
    CHECK(error_of("services:\n  web:\n\timage: x\n") ==
          "compose.yaml:3:1: yaml: found character that cannot start any token");
    CHECK(error_of("services:\n  web: {image: x\n") == "compose.yaml:3:1: yaml: did not find expected ',' or '}'");
    CHECK(error_of("services:\n  web:\n    image: *nope\n") == "compose.yaml:3:12: unknown anchor 'nope' referenced");
}

TEST_CASE("Yaml_DuplicateKeysAreRefused")
{
    CHECK(error_of("services:\n  web:\n    image: x\n    image: y\n") ==
          "compose.yaml:4:5: mapping key \"image\" already defined at line 3");
}

TEST_CASE("Yaml_AnchorsAliasesAndMergeKeys")
{
    Project p = project("x-base: &base\n  image: x\n  labels: {a: '1'}\nservices:\n  web:\n    <<: *base\n"
                        "    labels: {b: '2'}\n  db: *base\n");
    CHECK(p.services.at("web").image == "x");
    CHECK(p.services.at("web").labels == Mapping{{"b", "2"}}); // explicit keys win over merged ones
    CHECK(p.services.at("db").labels == Mapping{{"a", "1"}});
}

TEST_CASE("Yaml_AliasBombFailsInsteadOfEatingMemory")
{
    std::string y = "x-a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    char prev = 'a';
    for (char c = 'b'; c <= 'h'; ++c) {
        y += std::string("x-") + c + ": &" + c + " [";
        for (int i = 0; i < 10; ++i)
            y += std::string(i ? ", " : "") + "*" + prev;
        y += "]\n";
        prev = c;
    }
    y += "services: {}\n";
    auto r = load(y);
    REQUIRE_FALSE(r);
    CHECK(r.error().message() == "excessive aliasing: the document expands to more than 1000000 nodes");
}

TEST_CASE("Yaml_MarksQuotingAndTags")
{
    auto f = loader::SourceFile::create("c.yaml", "/p/c.yaml", "/p", "a:\n  b: \"1\"\n  c: 1\n  d: !reset []\n  e:\n");
    auto t = loader::parse_yaml(f);
    REQUIRE(t);
    const auto* a = t->find("a");
    REQUIRE(a);
    CHECK(a->mark.line == 2);
    CHECK(a->mark.column == 3);
    CHECK(a->find("b")->scalar_type() == loader::Node::Scalar::String);
    CHECK(a->find("c")->scalar_type() == loader::Node::Scalar::Int);
    CHECK(a->find("d")->tag == loader::NodeTag::Reset);
    CHECK(a->find("e")->is_null());
}

TEST_CASE("Yaml_OnlyTheFirstDocumentAndEmptyFiles")
{
    Project p = project("services:\n  web:\n    image: x\n---\nservices:\n  db:\n    image: y\n");
    CHECK(p.service_names() == std::vector<std::string>{"web"});
    CHECK(project("").services.empty());
    CHECK(error_of("- a\n- b\n") == "compose.yaml:1:1: top-level object must be a mapping, not a list");
}

} // TEST_SUITE
