// The instruction model: expansion per keyword, forms, flags, validation messages.
#include "engine/build/instruction.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine::build;

namespace {

struct One {
    Dockerfile df;
    Result<Command> cmd;
};

One one(std::string text, VarMap vars = {})
{
    auto df = parse_dockerfile("FROM x\n" + text + "\n");
    REQUIRE(df);
    auto cmd = interpret(df->instructions.back(), vars, *df);
    return {std::move(*df), std::move(cmd)};
}

} // namespace

TEST_SUITE("build.instruction")
{

    TEST_CASE("Instruction_FromWithStageNameAndArgs")
    {
        auto df = parse_dockerfile(
            "FROM --platform=$BUILDPLATFORM ${BASE:-localhost/busybox}:${TAG} AS Builder\n");
        REQUIRE(df);
        auto cmd = interpret(df->instructions[0], {{"TAG", "1.2"}}, *df);
        REQUIRE(cmd);
        auto& f = std::get<FromCmd>(*cmd);
        CHECK(f.image == "localhost/busybox:1.2");
        CHECK(f.name == "builder");
        CHECK(f.platform == "$BUILDPLATFORM");
    }

    TEST_CASE("Instruction_FromBadArity")
    {
        auto df = parse_dockerfile("FROM a b\n");
        REQUIRE(df);
        auto cmd = interpret(df->instructions[0], {}, *df);
        REQUIRE_FALSE(cmd);
        CHECK(cmd.error().summary() == "Dockerfile:1: FROM requires either one or three arguments");
    }

    TEST_CASE("Instruction_CopyFlagsAndExpansion")
    {
        auto o = one("COPY --from=build --chown=app:app --chmod=0640 $SRC \"b c\" /dst/", {{"SRC", "a.txt"}});
        REQUIRE(o.cmd);
        auto& c = std::get<CopyCmd>(*o.cmd);
        CHECK(c.sources == std::vector<std::string> {"a.txt", "b c"});
        CHECK(c.dest == "/dst/");
        CHECK(c.from == "build");
        CHECK(c.chown == "app:app");
        CHECK(c.chmod == 0640u);
        CHECK_FALSE(c.add);
    }

    TEST_CASE("Instruction_CopyJsonForm")
    {
        auto o = one("ADD [\"a b.tar\", \"/opt/\"]");
        REQUIRE(o.cmd);
        auto& c = std::get<CopyCmd>(*o.cmd);
        CHECK(c.add);
        CHECK(c.sources == std::vector<std::string> {"a b.tar"});
    }

    TEST_CASE("Instruction_CopyErrors")
    {
        auto few = one("COPY onlyone");
        REQUIRE_FALSE(few.cmd);
        CHECK(few.cmd.error().summary() == "Dockerfile:2: COPY requires at least two arguments");
        auto flag = one("COPY --frm=x a b");
        REQUIRE_FALSE(flag.cmd);
        CHECK(flag.cmd.error().summary() == "Dockerfile:2: COPY: unknown flag: --frm");
        auto mode = one("COPY --chmod=rwx a b");
        REQUIRE_FALSE(mode.cmd);
        CHECK(
            mode.cmd.error().summary() == "Dockerfile:2: COPY: invalid --chmod=rwx: expected an octal mode");
        auto from = one("ADD --from=x a b");
        REQUIRE_FALSE(from.cmd);
        CHECK(from.cmd.error().summary() == "Dockerfile:2: ADD: unknown flag: --from");
    }

    TEST_CASE("Instruction_CopyHeredocExpandsVariables")
    {
        auto df = parse_dockerfile("FROM x\nCOPY <<EOF /etc/greeting\nhello \"$WHO\"\nEOF\n");
        REQUIRE(df);
        auto cmd = interpret(df->instructions[1], {{"WHO", "world"}}, *df);
        REQUIRE(cmd);
        auto& c = std::get<CopyCmd>(*cmd);
        CHECK(c.sources.empty());
        REQUIRE(c.heredocs.size() == 1);
        CHECK(c.heredocs[0].content == "hello \"world\"\n");
        CHECK(c.dest == "/etc/greeting");
    }

    TEST_CASE("Instruction_RunFormsNetworkAndHeredoc")
    {
        auto shell = one("RUN --network=none echo $HOME");
        REQUIRE(shell.cmd);
        auto& r = std::get<RunCmd>(*shell.cmd);
        CHECK(r.network == "none");
        CHECK(r.command.shell);
        CHECK(r.command.text == "echo $HOME"); // left for the shell
        CHECK(
            r.command.resolve({"/bin/sh", "-c"}) == std::vector<std::string> {"/bin/sh", "-c", "echo $HOME"});
        auto exec = one("RUN [\"echo\", \"hi\"]");
        REQUIRE(exec.cmd);
        CHECK(std::get<RunCmd>(*exec.cmd).command.resolve({"/bin/sh", "-c"})
            == std::vector<std::string> {"echo", "hi"});

        auto df = parse_dockerfile("FROM x\nRUN <<EOF\nset -e\necho a\nEOF\nRUN cat <<X > /f\nline\nX\n");
        REQUIRE(df);
        auto bare = interpret(df->instructions[1], {}, *df);
        REQUIRE(bare);
        CHECK(std::get<RunCmd>(*bare).command.text == "set -e\necho a\n");
        auto fed = interpret(df->instructions[2], {}, *df);
        REQUIRE(fed);
        CHECK(std::get<RunCmd>(*fed).command.text == "cat <<X > /f\nline\nX");

        auto bad = one("RUN --network=bridge true");
        REQUIRE_FALSE(bad.cmd);
        CHECK(bad.cmd.error().summary()
            == "Dockerfile:2: RUN: unsupported --network=bridge (expected default, none or host)");
        auto mount = one("RUN --mount=type=cache,target=/x true");
        REQUIRE_FALSE(mount.cmd);
        CHECK(mount.cmd.error().summary() == "Dockerfile:2: RUN --mount is not supported by wharf");
    }

    TEST_CASE("Instruction_ArgDeclarations")
    {
        auto o = one("ARG A B=2 C=${B:-x}y", {{"B", "from-env"}});
        REQUIRE(o.cmd);
        auto& a = std::get<ArgCmd>(*o.cmd).args;
        REQUIRE(a.size() == 3);
        CHECK(a[0].name == "A");
        CHECK_FALSE(a[0].default_value);
        CHECK(a[1].default_value == "2");
        CHECK(a[2].default_value == "from-envy");
    }

    TEST_CASE("Instruction_ExposeNormalisesPorts")
    {
        auto o = one("EXPOSE 80 53/UDP $P", {{"P", "8000-8010"}});
        REQUIRE(o.cmd);
        CHECK(std::get<ExposeCmd>(*o.cmd).ports
            == std::vector<std::string> {"80/tcp", "53/udp", "8000-8010/tcp"});
        auto bad = one("EXPOSE http");
        REQUIRE_FALSE(bad.cmd);
        CHECK(bad.cmd.error().summary() == "Dockerfile:2: EXPOSE: invalid port \"http\"");
    }

    TEST_CASE("Instruction_WorkdirUserVolumeStopsignal")
    {
        VarMap v {{"APP", "/srv/app"}, {"U", "nobody"}};
        CHECK(std::get<WorkdirCmd>(*one("WORKDIR $APP/sub", v).cmd).path == "/srv/app/sub");
        CHECK(std::get<UserCmd>(*one("USER ${U}:nogroup", v).cmd).user == "nobody:nogroup");
        CHECK(std::get<VolumeCmd>(*one("VOLUME [\"/data\", \"$APP\"]", v).cmd).paths
            == std::vector<std::string> {"/data", "/srv/app"});
        CHECK(
            std::get<VolumeCmd>(*one("VOLUME /a /b", v).cmd).paths == std::vector<std::string> {"/a", "/b"});
        CHECK(std::get<StopsignalCmd>(*one("STOPSIGNAL SIGQUIT", v).cmd).signal == "SIGQUIT");
    }

    TEST_CASE("Instruction_CmdEntrypointShell")
    {
        auto cmd = one("CMD echo $HOME");
        CHECK(std::get<CmdCmd>(*cmd.cmd).command.text == "echo $HOME");
        auto ep = one("ENTRYPOINT [\"/entry.sh\"]");
        CHECK(std::get<EntrypointCmd>(*ep.cmd).command.argv == std::vector<std::string> {"/entry.sh"});
        auto sh = one("SHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]");
        CHECK(std::get<ShellCmd>(*sh.cmd).shell.size() == 4);
        auto bad = one("SHELL /bin/bash -c");
        REQUIRE_FALSE(bad.cmd);
        CHECK(bad.cmd.error().summary() == "Dockerfile:2: SHELL requires the arguments to be in JSON form");
    }

    TEST_CASE("Instruction_Healthcheck")
    {
        auto h = one(
            "HEALTHCHECK --interval=5s --timeout=1m30s --retries=3 CMD curl -f http://localhost/ || exit 1");
        REQUIRE(h.cmd);
        auto& hc = std::get<HealthcheckCmd>(*h.cmd);
        CHECK(hc.test == std::vector<std::string> {"CMD-SHELL", "curl -f http://localhost/ || exit 1"});
        CHECK(hc.interval_ns == 5'000'000'000);
        CHECK(hc.timeout_ns == 90'000'000'000);
        CHECK(hc.retries == 3);
        auto exec = one("HEALTHCHECK CMD [\"/bin/check\", \"-q\"]");
        CHECK(
            std::get<HealthcheckCmd>(*exec.cmd).test == std::vector<std::string> {"CMD", "/bin/check", "-q"});
        CHECK(
            std::get<HealthcheckCmd>(*one("HEALTHCHECK NONE").cmd).test == std::vector<std::string> {"NONE"});
        auto bad = one("HEALTHCHECK --interval=5x CMD true");
        REQUIRE_FALSE(bad.cmd);
        CHECK(bad.cmd.error().summary()
            == "Dockerfile:2: HEALTHCHECK: --interval: invalid duration \"5x\": unknown unit \"x\"");
    }

    TEST_CASE("Instruction_OnbuildRules")
    {
        CHECK(std::get<OnbuildCmd>(*one("ONBUILD RUN make").cmd).expression == "RUN make");
        auto chain = one("ONBUILD ONBUILD RUN x");
        REQUIRE_FALSE(chain.cmd);
        CHECK(chain.cmd.error().summary()
            == "Dockerfile:2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    }

    TEST_CASE("Instruction_EnvAndLabel")
    {
        auto env = one("ENV PATH=/opt/bin:$PATH LANG=C.UTF-8", {{"PATH", "/usr/bin"}});
        REQUIRE(env.cmd);
        auto& pairs = std::get<EnvCmd>(*env.cmd).pairs;
        CHECK(pairs[0].value == "/opt/bin:/usr/bin");
        auto bad = one("LABEL novalue");
        REQUIRE_FALSE(bad.cmd);
        CHECK(bad.cmd.error().summary()
            == "Dockerfile:2: Syntax error - can't find = in \"novalue\". Must be of the form: name=value");
    }

} // TEST_SUITE
