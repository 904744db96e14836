// The multi-stage graph: global ARGs, stage names, --target, COPY --from dependencies.
#include "engine/build/stages.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine::build;

namespace {
Dockerfile parse(std::string_view text)
{
    auto df = parse_dockerfile(text);
    REQUIRE(df);
    return std::move(*df);
}
} // namespace

TEST_SUITE("build.stages")
{

    TEST_CASE("Stages_GlobalArgsExpandFromOnly")
    {
        auto df = parse("ARG BASE=localhost/busybox\nARG TAG\nFROM ${BASE}:${TAG:-latest}\nRUN true\n");
        auto g = plan_stages(df, {{"TAG", "1.36"}}, "");
        REQUIRE(g);
        REQUIRE(g->stages.size() == 1);
        CHECK(g->stages[0].from.image == "localhost/busybox:1.36");
        CHECK(g->global_vars.at("BASE") == "localhost/busybox");
        CHECK(g->global_args.size() == 2);
        CHECK(g->stages[0].body.size() == 1);
    }

    TEST_CASE("Stages_TargetPrunesUnneededStages")
    {
        auto df = parse("FROM localhost/a AS deps\nRUN x\n"
                        "FROM localhost/b AS tools\nRUN y\n"
                        "FROM deps AS build\nCOPY --from=tools /t /t\n"
                        "FROM localhost/c AS test\nRUN z\n"
                        "FROM localhost/c\nCOPY --from=build /out /app\nCOPY --from=0 /x /x\n");
        auto all = plan_stages(df, {}, "");
        REQUIRE(all);
        CHECK(all->target == 4);
        CHECK(all->order == std::vector<size_t> {0, 1, 2, 4});
        CHECK(all->stages[2].base_stage == 0u);
        auto build = plan_stages(df, {}, "BUILD");
        REQUIRE(build);
        CHECK(build->order == std::vector<size_t> {0, 1, 2});
        auto test = plan_stages(df, {}, "test");
        REQUIRE(test);
        CHECK(test->order == std::vector<size_t> {3});
    }

    TEST_CASE("Stages_UnknownTargetAndDuplicateNames")
    {
        auto df = parse("FROM localhost/a AS one\nFROM localhost/b AS two\n");
        auto t = plan_stages(df, {}, "three");
        REQUIRE_FALSE(t);
        CHECK(t.error().summary() == "target stage \"three\" could not be found");
        auto dup = plan_stages(parse("FROM localhost/a AS x\nFROM localhost/b AS X\n"), {}, "");
        REQUIRE_FALSE(dup);
        CHECK(dup.error().summary() == "Dockerfile:2: duplicate stage name \"x\"");
    }

    TEST_CASE("Stages_InstructionBeforeFromFails")
    {
        auto g = plan_stages(parse("ARG A=1\nRUN echo\nFROM localhost/a\n"), {}, "");
        REQUIRE_FALSE(g);
        CHECK(g.error().summary()
            == "Dockerfile:2: no build stage in current context: RUN must come after FROM");
    }

    TEST_CASE("Stages_CopyFromSelfFails")
    {
        auto g = plan_stages(parse("FROM localhost/a AS me\nCOPY --from=me /a /b\n"), {}, "");
        REQUIRE_FALSE(g);
        CHECK(g.error().summary() == "Dockerfile:2: COPY --from=me: a stage cannot copy from itself");
    }

    TEST_CASE("Stages_PlatformArgsPredefined")
    {
        auto g = plan_stages(parse("FROM localhost/a:${TARGETOS}\n"), {}, "");
        REQUIRE(g);
        CHECK(g->stages[0].from.image == "localhost/a:linux");
        CHECK(predefined_args().contains("HTTP_PROXY"));
    }

} // TEST_SUITE
