// The builder against a fake backend: steps, history, config, cache hits and misses,
// .dockerignore, multi-stage, RUN layers and failures, build args. No root needed.
#include "engine/build/builder.h"
#include "tests/engine/build/fake_backend.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

using namespace wharf;
using namespace wharf::engine::build;
using namespace wharf::engine::build::testing;

namespace {

struct Fixture {
    sys::TempDir tmp = *sys::TempDir::create("wharf-build-test");
    std::string ctx = tmp.path() + "/ctx";
    FakeBackend backend {tmp.path() + "/store"};

    Fixture()
    {
        backend.make_image("localhost/base:latest",
            {{"etc/passwd", "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n"},
                {"etc/group", "root:x:0:\nstaff:x:50:\n"}, {"bin/sh", "#!fake"}});
    }

    void file(const std::string& rel, const std::string& content)
    {
        std::string full = ctx + "/" + rel;
        REQUIRE(sys::make_dirs(full.substr(0, full.rfind('/'))));
        REQUIRE(sys::write_file_atomic(full, content));
    }

    BuildRequest request(const std::string& dockerfile)
    {
        file("Dockerfile", dockerfile);
        BuildRequest r;
        r.context_dir = ctx;
        r.state_root = tmp.path() + "/state";
        r.tags = {"localhost/app:latest"};
        return r;
    }

    nlohmann::json config(const std::string& id) { return nlohmann::json::parse(backend.committed.at(id)); }
};

std::vector<std::string> created_by(const nlohmann::json& doc)
{
    std::vector<std::string> out;
    for (auto& h : doc["history"])
        out.push_back(h.value("created_by", "") + (h.value("empty_layer", false) ? " (empty)" : ""));
    return out;
}

} // namespace

TEST_SUITE("build.builder")
{

    TEST_CASE("Builder_CopyAndMetadataMakeHistoryRowsAndConfig")
    {
        Fixture f;
        f.file("index.html", "<h1>hi</h1>\n");
        f.file("sub/a.txt", "a");
        auto req = f.request("FROM localhost/base:latest\n"
                             "COPY . /www\n"
                             "ENV GREETING=\"hello world\" PORT=80\n"
                             "WORKDIR /www\n"
                             "EXPOSE $PORT\n"
                             "USER app\n"
                             "LABEL org.example.x=1\n"
                             "ENTRYPOINT [\"/bin/httpd\"]\n"
                             "CMD -f -p $PORT\n");
        RecordingProgress p;
        auto r = build(req, f.backend, p);
        REQUIRE_MESSAGE(r, r.error().render());
        CHECK(r->steps == 9);
        CHECK(r->cached == 0);
        CHECK(f.backend.tags.at("localhost/app:latest") == r->image_id);
        auto doc = f.config(r->image_id);
        CHECK(created_by(doc)
            == std::vector<std::string> {"base layer", "COPY . /www # buildkit",
                "ENV GREETING=hello world PORT=80 (empty)", "WORKDIR /www (empty)",
                "EXPOSE map[80/tcp:{}] (empty)", "USER app (empty)", "LABEL org.example.x=1 (empty)",
                "ENTRYPOINT [\"/bin/httpd\"] (empty)", "CMD [\"/bin/sh\" \"-c\" \"-f -p $PORT\"] (empty)"});
        auto& c = doc["config"];
        CHECK(c["Env"] == nlohmann::json({"PATH=/bin", "GREETING=hello world", "PORT=80"}));
        CHECK(c["WorkingDir"] == "/www");
        CHECK(c["User"] == "app");
        CHECK(c["ExposedPorts"].contains("80/tcp"));
        CHECK(c["Labels"]["org.example.x"] == "1");
        CHECK(c["Entrypoint"] == nlohmann::json({"/bin/httpd"}));
        CHECK(doc["rootfs"]["diff_ids"].size() == 2);
        // The COPY layer holds the context files owned by root.
        std::string layer = f.backend.tmp_layer_dir(doc["rootfs"]["diff_ids"][1]);
        CHECK(*sys::read_file(layer + "/www/index.html") == "<h1>hi</h1>\n");
        CHECK(*sys::read_file(layer + "/www/sub/a.txt") == "a");
        CHECK(p.lines.front() == "Step 1/9 : FROM localhost/base:latest");
    }

    TEST_CASE("Builder_UnchangedRebuildIsCachedAndSameImage")
    {
        Fixture f;
        f.file("a.txt", "one");
        f.file("b.txt", "two");
        auto req = f.request(
            "FROM localhost/base:latest\nCOPY a.txt /a.txt\nENV X=1\nCOPY b.txt /b.txt\nCMD [\"x\"]\n");
        RecordingProgress p1;
        auto first = build(req, f.backend, p1);
        REQUIRE(first);
        RecordingProgress p2;
        auto second = build(req, f.backend, p2);
        REQUIRE(second);
        CHECK(second->cached == 4);
        CHECK(p2.count("CACHED") == 4);
        CHECK(second->image_id == first->image_id);

        // Changing b.txt misses from its COPY on; a.txt's COPY and ENV still hit.
        f.file("b.txt", "TWO");
        RecordingProgress p3;
        auto third = build(req, f.backend, p3);
        REQUIRE(third);
        CHECK(third->cached == 2);
        CHECK(third->image_id != first->image_id);
        CHECK(p3.lines
            == std::vector<std::string> {"Step 1/5 : FROM localhost/base:latest",
                "Step 2/5 : COPY a.txt /a.txt", "CACHED", "Step 3/5 : ENV X=1", "CACHED",
                "Step 4/5 : COPY b.txt /b.txt", "Step 5/5 : CMD [\"x\"]"});

        // A mode change alone is a change too.
        REQUIRE(::chmod((f.ctx + "/a.txt").c_str(), 0600) == 0);
        RecordingProgress p4;
        auto fourth = build(req, f.backend, p4);
        REQUIRE(fourth);
        CHECK(fourth->cached == 0);

        // --no-cache rebuilds everything.
        req.no_cache = true;
        RecordingProgress p5;
        auto fifth = build(req, f.backend, p5);
        REQUIRE(fifth);
        CHECK(fifth->cached == 0);
    }

    TEST_CASE("Builder_CacheMissWhenCachedLayerWasRemoved")
    {
        Fixture f;
        f.file("a.txt", "one");
        auto req = f.request("FROM localhost/base:latest\nCOPY a.txt /a.txt\n");
        RecordingProgress p;
        auto first = build(req, f.backend, p);
        REQUIRE(first);
        f.backend.removed_layers.push_back(f.config(first->image_id)["rootfs"]["diff_ids"][1]);
        RecordingProgress p2;
        auto second = build(req, f.backend, p2);
        REQUIRE(second);
        CHECK(second->cached == 0);
    }

    TEST_CASE("Builder_DockerignoreExcludesFromCopy")
    {
        Fixture f;
        f.file("app.js", "x");
        f.file("node_modules/dep/index.js", "y");
        f.file("secret.env", "z");
        f.file("docs/keep.md", "k");
        f.file("docs/drop.md", "d");
        f.file(".dockerignore", "node_modules\n*.env\ndocs/*.md\n!docs/keep.md\n");
        auto req = f.request("FROM localhost/base:latest\nCOPY . /app/\n");
        RecordingProgress p;
        auto r = build(req, f.backend, p);
        REQUIRE(r);
        std::string layer = f.backend.tmp_layer_dir(f.config(r->image_id)["rootfs"]["diff_ids"][1]);
        CHECK(sys::exists(layer + "/app/app.js"));
        CHECK_FALSE(sys::exists(layer + "/app/node_modules"));
        CHECK_FALSE(sys::exists(layer + "/app/secret.env"));
        CHECK(sys::exists(layer + "/app/docs/keep.md"));
        CHECK_FALSE(sys::exists(layer + "/app/docs/drop.md"));

        // Copying an excluded file explicitly is an error naming it.
        auto req2 = f.request("FROM localhost/base:latest\nCOPY secret.env /x\n");
        auto bad = build(req2, f.backend, p);
        REQUIRE_FALSE(bad);
        CHECK(bad.error().summary()
            == "Dockerfile:2: Step 2/2 : COPY secret.env /x: COPY failed: file not found in build "
               "context or excluded by .dockerignore: \"secret.env\": not found");
    }

    TEST_CASE("Builder_CopyChownChmodGlobsAndDestRules")
    {
        Fixture f;
        f.file("a.conf", "a");
        f.file("b.conf", "b");
        f.file("c.txt", "c");
        auto req = f.request("FROM localhost/base:latest\nWORKDIR /etc/app\n"
                             "COPY --chown=app:staff --chmod=600 *.conf ./\n"
                             "COPY c.txt renamed.txt\n");
        RecordingProgress p;
        auto r = build(req, f.backend, p);
        REQUIRE_MESSAGE(r, r.error().render());
        auto doc = f.config(r->image_id);
        REQUIRE(doc["rootfs"]["diff_ids"].size() == 4); // base, WORKDIR (created), two COPYs
        std::string conf = f.backend.tmp_layer_dir(doc["rootfs"]["diff_ids"][2]);
        struct stat st { };
        REQUIRE(::stat((conf + "/etc/app/a.conf").c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
        CHECK(sys::exists(conf + "/etc/app/b.conf"));
        CHECK_FALSE(sys::exists(conf + "/etc/app/c.txt"));
        CHECK(*sys::read_file(f.backend.tmp_layer_dir(doc["rootfs"]["diff_ids"][3]) + "/etc/app/renamed.txt")
            == "c");
        CHECK(created_by(doc)[2] == "COPY --chown=app:staff --chmod=0600 *.conf ./ # buildkit");

        auto multi = f.request("FROM localhost/base:latest\nCOPY a.conf b.conf /dst\n");
        auto bad = build(multi, f.backend, p);
        REQUIRE_FALSE(bad);
        CHECK(bad.error().message()
            == "When using COPY with more than one source file, the destination must be a directory and end "
               "with a /");
        auto user = f.request("FROM localhost/base:latest\nCOPY --chown=nobody a.conf /x\n");
        auto nouser = build(user, f.backend, p);
        REQUIRE_FALSE(nouser);
        CHECK(nouser.error().summary()
            == "Dockerfile:2: Step 2/2 : COPY --chown=nobody a.conf /x: COPY: unable to convert "
               "uid/gid chown string to host mapping: can't find uid for user nobody: no such user: nobody");
    }

    TEST_CASE("Builder_MultiStageCopyFromAndTarget")
    {
        Fixture f;
        f.file("src.txt", "source");
        auto req = f.request(
            "FROM localhost/base:latest AS build\nCOPY src.txt /out/artifact\n"
            "FROM localhost/base:latest AS unused\nCOPY src.txt /never\n"
            "FROM scratch\nCOPY --from=build /out/artifact /app/artifact\nCMD [\"/app/artifact\"]\n");
        RecordingProgress p;
        auto r = build(req, f.backend, p);
        REQUIRE_MESSAGE(r, r.error().render());
        CHECK(r->steps == 5); // the unused stage is skipped
        auto doc = f.config(r->image_id);
        CHECK(doc["rootfs"]["diff_ids"].size() == 1);
        CHECK(*sys::read_file(f.backend.tmp_layer_dir(doc["rootfs"]["diff_ids"][0]) + "/app/artifact")
            == "source");
        CHECK(created_by(doc)
            == std::vector<std::string> {"COPY --from=build /out/artifact /app/artifact # buildkit",
                "CMD [\"/app/artifact\"] (empty)"});

        req.target = "build";
        auto t = build(req, f.backend, p);
        REQUIRE(t);
        CHECK(t->steps == 2);
    }

    TEST_CASE("Builder_RunLayerArgsAndHistory")
    {
        Fixture f;
        f.backend.on_run = [](const RunSpec& spec) {
            // The "command" writes a file into the container's upper dir.
            REQUIRE(sys::make_dirs(spec.upper_dir + "/opt"));
            REQUIRE(sys::write_file_atomic(spec.upper_dir + "/opt/ran", spec.argv.back()));
            REQUIRE(sys::make_dirs(spec.upper_dir + "/etc"));
            REQUIRE(sys::write_file_atomic(spec.upper_dir + "/etc/hosts", "runtime-owned"));
            return 0;
        };
        auto req = f.request("FROM localhost/base:latest\nARG VERSION=1\nARG UNSET\nENV MODE=prod\n"
                             "RUN echo $VERSION > /opt/ran\n");
        req.build_args = {{"VERSION", "2"}, {"HTTP_PROXY", "http://proxy:3128"}, {"EXTRA", "x"}};
        RecordingProgress p;
        auto r = build(req, f.backend, p);
        REQUIRE_MESSAGE(r, r.error().render());
        REQUIRE(f.backend.runs.size() == 1);
        auto& spec = f.backend.runs[0];
        CHECK(spec.argv == std::vector<std::string> {"/bin/sh", "-c", "echo $VERSION > /opt/ran"});
        CHECK(spec.env
            == std::vector<std::string> {
                "VERSION=2", "HTTP_PROXY=http://proxy:3128", "PATH=/bin", "MODE=prod"});
        CHECK(spec.network == "none"); // Docker's wharf: no network unless asked for
        auto doc = f.config(r->image_id);
        CHECK(created_by(doc).back() == "RUN |1 VERSION=2 /bin/sh -c echo $VERSION > /opt/ran # buildkit");
        CHECK(created_by(doc)[1] == "ARG VERSION=1 (empty)");
        std::string layer = f.backend.tmp_layer_dir(doc["rootfs"]["diff_ids"][1]);
        CHECK(sys::exists(layer + "/opt/ran"));
        CHECK_FALSE(sys::exists(layer + "/etc/hosts")); // runtime-owned paths are not in the layer
        CHECK(r->warnings
            == std::vector<std::string> {"[Warning] One or more build-args [EXTRA] were not consumed"});

        // Same args: cached, RUN not executed again. Another value: executed.
        RecordingProgress p2;
        REQUIRE(build(req, f.backend, p2));
        CHECK(f.backend.runs.size() == 1);
        req.build_args["VERSION"] = "3";
        REQUIRE(build(req, f.backend, p2));
        CHECK(f.backend.runs.size() == 2);
    }

    TEST_CASE("Builder_FailingRunReportsStepCommandAndCodeAndTagsNothing")
    {
        Fixture f;
        f.backend.on_run = [](const RunSpec& spec) {
            spec.output("boom\n");
            return 3;
        };
        auto req = f.request("FROM localhost/base:latest\nRUN echo boom && exit 3\nCMD x\n");
        RecordingProgress p;
        auto r = build(req, f.backend, p);
        REQUIRE_FALSE(r);
        CHECK(r.error().summary()
            == "Dockerfile:2: Step 2/3 : RUN echo boom && exit 3: process \"/bin/sh -c echo boom "
               "&& exit 3\" did not complete successfully: exit code: 3");
        CHECK(p.out == "boom\n");
        CHECK(f.backend.tags.empty());
        // The scratch space of the step is gone.
        REQUIRE(sys::exists(f.backend.scratch_dir()));
        CHECK(std::filesystem::is_empty(f.backend.scratch_dir()));

        // The command is quoted as BuildKit's %q does.
        auto quoted = f.request("FROM localhost/base:latest\nRUN echo \"a\\b\" && exit 3\n");
        auto q = build(quoted, f.backend, p);
        REQUIRE_FALSE(q);
        CHECK(q.error().message()
            == "process \"/bin/sh -c echo \\\"a\\\\b\\\" && exit 3\" did not complete successfully: exit "
               "code: 3");
    }

    TEST_CASE("Builder_EntrypointResetsInheritedCmdAndOnbuildRuns")
    {
        Fixture f;
        f.backend.make_image("localhost/onbuild:latest", {{"bin/sh", "x"}},
            R"({"architecture":"amd64","os":"linux","config":{"Cmd":["sh"],"OnBuild":["COPY trigger.txt /trigger.txt"]},"rootfs":{"type":"layers","diff_ids":[]},"history":[]})");
        f.file("trigger.txt", "t");
        auto req = f.request("FROM localhost/onbuild:latest\nENTRYPOINT [\"/bin/app\"]\n");
        RecordingProgress p;
        auto r = build(req, f.backend, p);
        REQUIRE_MESSAGE(r, r.error().render());
        auto doc = f.config(r->image_id);
        CHECK(doc["config"]["Cmd"].is_null());
        CHECK_FALSE(doc["config"].contains("OnBuild"));
        CHECK(created_by(doc).front() == "COPY trigger.txt /trigger.txt # buildkit");
    }

    TEST_CASE("Builder_ErrorsNameFileLineAndInstruction")
    {
        Fixture f;
        auto req = f.request("FROM localhost/base:latest\nEXPOSE http\n");
        RecordingProgress p;
        auto r = build(req, f.backend, p);
        REQUIRE_FALSE(r);
        CHECK(r.error().summary() == "Dockerfile:2: Step 2/2 : EXPOSE http: EXPOSE: invalid port \"http\"");
        auto missing = f.request("FROM localhost/nope:latest\n");
        auto m = build(missing, f.backend, p);
        REQUIRE_FALSE(m);
        CHECK(m.error().summary()
            == "Dockerfile:1: Step 1/1 : FROM localhost/nope:latest: No such image: localhost/nope:latest");
        BuildRequest none;
        none.context_dir = f.tmp.path() + "/missing";
        auto n = build(none, f.backend, p);
        REQUIRE_FALSE(n);
        CHECK(n.error().summary()
            == "unable to prepare context: path \"" + f.tmp.path() + "/missing\" not found");
    }

    TEST_CASE("Builder_AddExtractsLocalTarAndRefusesUrls")
    {
        Fixture f;
        // Make a tar in the context with the fake's own writer.
        LayerTar t;
        TarEntry e;
        e.content = "inside";
        t.add("pkg/file.txt", e);
        REQUIRE(sys::make_dirs(f.ctx));
        REQUIRE(t.write(f.ctx + "/bundle.tar"));
        auto req = f.request("FROM localhost/base:latest\nADD bundle.tar /opt/\n");
        RecordingProgress p;
        auto r = build(req, f.backend, p);
        REQUIRE_MESSAGE(r, r.error().render());
        auto doc = f.config(r->image_id);
        CHECK(*sys::read_file(f.backend.tmp_layer_dir(doc["rootfs"]["diff_ids"][1]) + "/opt/pkg/file.txt")
            == "inside");

        auto url = f.request("FROM localhost/base:latest\nADD https://example.com/x.tgz /opt/\n");
        auto u = build(url, f.backend, p);
        REQUIRE_FALSE(u);
        CHECK(u.error().message()
            == "ADD https://example.com/x.tgz: downloading from a URL is not supported: wharf builds "
               "have no network access (put the file in the build context)");
    }

} // TEST_SUITE
