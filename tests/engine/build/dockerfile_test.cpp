// The Dockerfile parser: directives, comments, continuations, flags, forms, heredocs, errors.
#include "engine/build/dockerfile.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine::build;

TEST_SUITE("build.dockerfile")
{

    TEST_CASE("Dockerfile_InstructionsCommentsAndCase")
    {
        auto df = parse_dockerfile(
            "# a comment\n\nfrom localhost/busybox:latest\n  # indented comment\nrun echo hi\n");
        REQUIRE(df);
        REQUIRE(df->instructions.size() == 2);
        CHECK(df->instructions[0].keyword == "FROM");
        CHECK(df->instructions[0].args == "localhost/busybox:latest");
        CHECK(df->instructions[0].line == 3);
        CHECK(df->instructions[1].keyword == "RUN");
        CHECK(df->instructions[1].args == "echo hi");
        CHECK(df->instructions[1].line == 5);
        CHECK_FALSE(df->instructions[1].json);
    }

    TEST_CASE("Dockerfile_ContinuationsSkipCommentsAndBlankLines")
    {
        auto df = parse_dockerfile("FROM x\nRUN echo a \\\n# inner comment\n\n    && echo b\nCMD [\"sh\"]\n");
        REQUIRE(df);
        REQUIRE(df->instructions.size() == 3);
        CHECK(df->instructions[1].args == "echo a     && echo b");
        CHECK(df->instructions[1].line == 2);
        CHECK(df->instructions[1].end_line == 5);
        CHECK(df->instructions[2].line == 6);
    }

    TEST_CASE("Dockerfile_EscapeDirectiveBacktick")
    {
        auto df = parse_dockerfile("# escape=`\nFROM x\nRUN dir c:\\ `\n  && echo ok\n");
        REQUIRE(df);
        CHECK(df->escape == '`');
        CHECK(df->instructions[1].args == "dir c:\\   && echo ok");
    }

    TEST_CASE("Dockerfile_SyntaxDirectiveAndDirectivesOnlyAtTop")
    {
        auto df = parse_dockerfile(
            "# syntax=docker/dockerfile:1\n# escape=\\\nFROM x\n# escape=`\nRUN a \\\n b\n");
        REQUIRE(df);
        CHECK(df->syntax == "docker/dockerfile:1");
        CHECK(df->escape == '\\');
        CHECK(df->instructions[1].args == "a  b");
    }

    TEST_CASE("Dockerfile_DirectiveAfterCommentIsAComment")
    {
        auto df = parse_dockerfile("# hello\n# escape=`\nFROM x\nRUN a \\\n b\n");
        REQUIRE(df);
        CHECK(df->escape == '\\');
    }

    TEST_CASE("Dockerfile_DuplicateDirectiveFails")
    {
        auto df = parse_dockerfile("# escape=`\n# escape=\\\nFROM x\n");
        REQUIRE_FALSE(df);
        CHECK(df.error().summary() == "Dockerfile:2: only one escape parser directive can be used");
    }

    TEST_CASE("Dockerfile_JsonAndShellForms")
    {
        auto df = parse_dockerfile(
            "FROM x\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\nENTRYPOINT [not json\nRUN [\"a\", 1]\n");
        REQUIRE(df);
        CHECK(df->instructions[1].json);
        CHECK(df->instructions[1].json_args == std::vector<std::string> {"nginx", "-g", "daemon off;"});
        CHECK_FALSE(df->instructions[2].json);
        CHECK(df->instructions[2].args == "[not json");
        CHECK_FALSE(df->instructions[3].json); // a non-string element: shell form, as Docker
    }

    TEST_CASE("Dockerfile_FlagsOnlyWhereTaken")
    {
        auto df = parse_dockerfile(
            "FROM --platform=linux/amd64 x AS b\nCOPY --from=b --chown=1:2 /a /b\nCMD --help\n");
        REQUIRE(df);
        CHECK(df->instructions[0].flag("platform") == "linux/amd64");
        CHECK(df->instructions[0].args == "x AS b");
        CHECK(df->instructions[1].flag("from") == "b");
        CHECK(df->instructions[1].flag("chown") == "1:2");
        CHECK(df->instructions[1].args == "/a /b");
        CHECK(df->instructions[2].flags.empty());
        CHECK(df->instructions[2].args == "--help");
    }

    TEST_CASE("Dockerfile_Heredocs")
    {
        auto df = parse_dockerfile("FROM x\nRUN <<EOF\necho one\necho two\nEOF\n"
                                   "COPY <<-'END' /etc/motd\n\thello $NAME\n\tEND\nCMD x\n");
        REQUIRE(df);
        REQUIRE(df->instructions.size() == 4);
        REQUIRE(df->instructions[1].heredocs.size() == 1);
        CHECK(df->instructions[1].heredocs[0].content == "echo one\necho two\n");
        CHECK(df->instructions[1].heredocs[0].expand);
        CHECK(df->instructions[1].end_line == 5);
        auto& copy = df->instructions[2].heredocs.at(0);
        CHECK(copy.name == "END");
        CHECK(copy.content == "hello $NAME\n");
        CHECK_FALSE(copy.expand);
        CHECK(copy.strip_tabs);
        CHECK(df->instructions[3].line == 9);
    }

    TEST_CASE("Dockerfile_UnterminatedHeredocFails")
    {
        auto df = parse_dockerfile("FROM x\nRUN <<EOF\necho\n");
        REQUIRE_FALSE(df);
        CHECK(df.error().summary() == "Dockerfile:2: RUN: unterminated heredoc <<EOF");
    }

    TEST_CASE("Dockerfile_UnknownInstructionNamesFileLineAndWord")
    {
        auto df = parse_dockerfile("FROM x\n\nFORM y\n", "app/Dockerfile.dev");
        REQUIRE_FALSE(df);
        CHECK(df.error().summary() == "app/Dockerfile.dev:3: unknown instruction: FORM");
        CHECK(df.error().render().find("    3 | FORM y") != std::string::npos);
    }

    TEST_CASE("Dockerfile_EmptyFails")
    {
        auto df = parse_dockerfile("# only a comment\n\n");
        REQUIRE_FALSE(df);
        CHECK(df.error().summary() == "the Dockerfile (Dockerfile) cannot be empty");
    }

    TEST_CASE("Dockerfile_CrLfLines")
    {
        auto df = parse_dockerfile("FROM x\r\nRUN a \\\r\n  b\r\n");
        REQUIRE(df);
        CHECK(df->instructions[1].args == "a   b");
    }

} // TEST_SUITE
