// build_image() against the real image store and container runtime: RUN steps in real
// containers over overlayfs, from the busybox fixture base, each test in its own state root.
#include "engine/build/build.h"
#include "engine/build/source_tree.h"
#include "engine/build/step_container.h"
#include "engine/registry/push.h"
#include "engine/sys/file.h"
#include "tests/support/local_registry.h"

#include <dirent.h>
#include <doctest/doctest.h>
#include <fstream>
#include <set>
#include <thread>
#include <unistd.h>

using namespace wharf;
using namespace wharf::engine;
using namespace wharf::engine::build;

namespace {

/// Records what the builder reports.
struct Recorder : ProgressSink {
    std::vector<std::string> started, cached, messages;
    std::string out;
    void step_started(const StepInfo& i) override { started.push_back(i.label() + " " + i.text); }
    void step_cached(const StepInfo& i) override { cached.push_back(i.label() + " " + i.text); }
    void output(std::string_view chunk) override { out += chunk; }
    void message(const std::string& m) override { messages.push_back(m); }
};

std::vector<std::string> dir_entries(const std::string& dir)
{
    std::vector<std::string> out;
    if (DIR* d = ::opendir(dir.c_str())) {
        while (dirent* e = ::readdir(d))
            if (std::string n = e->d_name; n != "." && n != "..")
                out.push_back(n);
        ::closedir(d);
    }
    return out;
}

/// Processes whose command line mentions `needle` (a monitor runs as `wharf --root R …`).
std::vector<std::string> processes_mentioning(const std::string& needle)
{
    std::vector<std::string> out;
    for (const auto& pid : dir_entries("/proc")) {
        if (pid.find_first_not_of("0123456789") != std::string::npos || pid == std::to_string(::getpid()))
            continue;
        std::ifstream in("/proc/" + pid + "/cmdline");
        std::string cmd((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (auto& c : cmd)
            if (c == '\0')
                c = ' ';
        if (cmd.find(needle) != std::string::npos)
            out.push_back(pid + ": " + cmd);
    }
    return out;
}

int mountinfo_lines_mentioning(const std::string& needle)
{
    std::ifstream in("/proc/self/mountinfo");
    int n = 0;
    for (std::string line; std::getline(in, line);)
        if (line.find(needle) != std::string::npos)
            ++n;
    return n;
}

struct BuildRoot {
    sys::TempDir tmp = *sys::TempDir::create("wharf-build-priv");
    std::string root = tmp.path() + "/state";
    std::string ctx = tmp.path() + "/ctx";
    StoreBackendOptions options {.wharf_binary = WHARF_BINARY, .pull = {}, .warn = {}};
    std::optional<ImageStore> store;

    BuildRoot()
    {
        REQUIRE(sys::make_dirs(ctx));
        std::string cmd = "WHARF_ROOT='" + root
            + "' '" WHARF_SOURCE_DIR "/tools/fixtures/busybox-image' '" WHARF_BINARY "'";
        REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, "busybox fixture import failed: " << cmd);
        auto s = ImageStore::open(root);
        REQUIRE(s);
        store.emplace(std::move(*s));
    }
    ~BuildRoot()
    {
        // Nothing of a build may outlive it: no container records, monitors or mounts.
        CHECK(processes_mentioning(root).empty());
        CHECK(mountinfo_lines_mentioning(tmp.path()) == 0);
    }

    void file(const std::string& rel, const std::string& content)
    {
        std::string full = ctx + "/" + rel;
        REQUIRE(sys::make_dirs(full.substr(0, full.rfind('/'))));
        REQUIRE(sys::write_file_atomic(full, content));
    }
    BuildRequest request(const std::string& dockerfile, const std::string& tag = "localhost/app:latest")
    {
        file("Dockerfile", dockerfile);
        BuildRequest r;
        r.context_dir = ctx;
        r.tags = {tag};
        return r;
    }
    BuiltImage build(const BuildRequest& req, Recorder& rec)
    {
        auto r = build_image(*store, req, rec, options);
        REQUIRE_MESSAGE(r, r.error().render() << "\noutput:\n" << rec.out);
        return std::move(*r);
    }
    /// A file of the image's merged filesystem; nullopt when absent.
    std::optional<std::string> read(const Image& img, const std::string& rel)
    {
        MergedTree tree(img.layer_dirs(), img.user_xattr ? "user." : "trusted.");
        auto r = tree.read(rel);
        REQUIRE(r);
        return *r;
    }
    /// Runs `argv` in a container of `img` with its config's user, workdir and env, the way
    /// the image would run (through the same runtime); returns exit code and output.
    std::pair<int, std::string> run(const Image& img, std::vector<std::string> argv)
    {
        auto scratch = sys::TempDir::create("wharf-build-run");
        REQUIRE(sys::make_dirs(scratch->path() + "/upper"));
        RunSpec spec;
        spec.lower_dirs = img.layer_dirs();
        spec.upper_dir = scratch->path() + "/upper";
        spec.argv = std::move(argv);
        spec.env = img.config.env;
        spec.user = img.config.user;
        spec.cwd = img.config.working_dir.empty() ? "/" : img.config.working_dir;
        spec.network = "none";
        std::string out;
        spec.output = [&](std::string_view s) { out += s; };
        auto code = run_step_container(spec, StepContainerOptions {root, WHARF_BINARY});
        REQUIRE_MESSAGE(code, code.error().summary());
        return {*code, out};
    }
    /// Container records (<root>/containers/<id>/; the image and container APIs cannot share
    /// a translation unit, both define HealthConfig).
    size_t container_count()
    {
        size_t n = 0;
        for (const auto& e : dir_entries(root + "/containers"))
            n += e.size() == 64;
        return n;
    }
};

std::vector<std::string> history_rows(const Image& img)
{
    std::vector<std::string> out;
    for (const auto& h : img.document.history)
        out.push_back(h.created_by + (h.empty_layer ? " (empty)" : ""));
    return out;
}

} // namespace

TEST_SUITE("build.priv")
{

    TEST_CASE("BuildImage_RunCopyUserWorkdir_TakeEffectInTheImage")
    {
        BuildRoot b;
        b.file("index.html", "<h1>built by wharf</h1>\n");
        auto req = b.request(
            "FROM localhost/busybox:latest\n"
            "ARG GREETING=hello\n"
            "RUN echo \"$GREETING from $(hostname)\" && mkdir -p /srv && echo one > /srv/one.txt\n"
            "RUN rm /www/index.html && echo '1234:x:1234:1234::/home/app:/bin/sh' >> /etc/passwd\n"
            "RUN echo ü > /srv/Főtanúsítvány.pem && ln -s Főtanúsítvány.pem /srv/988a38cb.0\n"
            "WORKDIR /srv/app\n"
            "COPY index.html ./\n"
            "USER 1234\n"
            "RUN id -u > /tmp/uid && pwd > /tmp/pwd\n"
            "CMD [\"sh\", \"-c\", \"id -u; pwd\"]\n");
        Recorder rec;
        auto built = b.build(req, rec);
        CHECK(rec.out.find("hello from buildkitsandbox") != std::string::npos);
        CHECK(built.result.steps == 10);
        CHECK(built.result.cached == 0);
        CHECK(built.image.repo_tags == std::vector<std::string> {"localhost/app:latest"});
        CHECK(b.store->resolve("localhost/app")->id == built.image.id);

        // The changes each RUN made, and only those, became layers.
        CHECK(b.read(built.image, "srv/one.txt") == "one\n");
        CHECK(b.read(built.image, "srv/Főtanúsítvány.pem")
            == "ü\n"); // non-ASCII names are bytes in the layer tar
        CHECK(b.read(built.image, "www/index.html") == std::nullopt); // whiteout of a lower file
        CHECK(b.read(built.image, "srv/app/index.html") == "<h1>built by wharf</h1>\n");
        CHECK(b.read(built.image, "tmp/uid") == "1234\n");
        CHECK(b.read(built.image, "tmp/pwd") == "/srv/app\n");
        CHECK(b.read(built.image, "etc/hostname")
            == std::nullopt); // the runtime's files are not part of a layer
        CHECK(b.read(built.image, "bin/busybox").has_value());
        CHECK(built.image.config.user == "1234");
        CHECK(built.image.config.working_dir == "/srv/app");

        // A container of the image runs as its USER in its WORKDIR.
        auto [code, out] = b.run(built.image, {"sh", "-c", "id -u; pwd"});
        CHECK(code == 0);
        CHECK(out == "1234\n/srv/app\n");
        CHECK(b.container_count() == 0);
    }

    TEST_CASE("BuildImage_RunDeletions_BecomeWhiteoutsAndOpaqueDirs")
    {
        BuildRoot b;
        auto req = b.request(
            "FROM localhost/busybox:latest\n"
            "RUN mkdir -p /data/sub && echo a > /data/a && echo b > /data/sub/b && echo keep > /keep\n"
            "RUN rm -rf /data && mkdir /data && echo fresh > /data/fresh && rm /keep\n"
            "RUN ls -R /data; test ! -e /keep\n");
        Recorder rec;
        auto built = b.build(req, rec);
        CHECK(rec.out == "/data:\nfresh\n");
        CHECK(b.read(built.image, "data/fresh") == "fresh\n");
        CHECK(b.read(built.image, "data/a") == std::nullopt);
        CHECK(b.read(built.image, "data/sub/b") == std::nullopt);
        CHECK(b.read(built.image, "keep") == std::nullopt);
        // And a container of the image sees the same.
        auto [code, out]
            = b.run(built.image, {"sh", "-c", "ls -a /data; cat /keep 2>/dev/null || echo no-keep"});
        CHECK(code == 0);
        CHECK(out == ".\n..\nfresh\nno-keep\n");
    }

    TEST_CASE("BuildImage_History_OneRowPerInstruction")
    {
        BuildRoot b;
        b.file("a.txt", "a");
        auto req = b.request("FROM localhost/busybox:latest\n"
                             "ENV MODE=prod\n"
                             "COPY a.txt /a.txt\n"
                             "RUN echo x > /x\n"
                             "RUN true\n"
                             "EXPOSE 8080\n"
                             "LABEL org.example.role=web\n"
                             "CMD [\"httpd\", \"-f\"]\n");
        Recorder rec;
        auto built = b.build(req, rec);
        auto base = b.store->resolve("localhost/busybox:latest");
        REQUIRE(base);
        std::vector<std::string> want = history_rows(*base);
        for (const auto& row : std::vector<std::string> {"ENV MODE=prod (empty)",
                 "COPY a.txt /a.txt # buildkit", "RUN /bin/sh -c echo x > /x # buildkit",
                 "RUN /bin/sh -c true # buildkit (empty)", "EXPOSE map[8080/tcp:{}] (empty)",
                 "LABEL org.example.role=web (empty)", "CMD [\"httpd\" \"-f\"] (empty)"})
            want.push_back(row);
        CHECK(history_rows(built.image) == want);
        // A non-empty history row per layer, in order.
        size_t non_empty = 0;
        for (const auto& h : built.image.document.history)
            non_empty += h.empty_layer ? 0 : 1;
        CHECK(non_empty == built.image.layers.size());
        CHECK(built.image.layers.size() == base->layers.size() + 2);
        for (const auto& h : built.image.document.history)
            CHECK(!h.created.empty());
        CHECK(built.image.config.labels.at("org.example.role") == "web");
        CHECK(built.image.config.exposed_ports == std::vector<std::string> {"80/tcp", "8080/tcp"});
    }

    TEST_CASE("BuildImage_MultiStage_CopyFromEarlierStageOnly")
    {
        BuildRoot b;
        auto req = b.request("FROM localhost/busybox:latest AS build\n"
                             "RUN mkdir /out && echo compiled > /out/app.bin && echo junk > /junk\n"
                             "FROM localhost/busybox:latest AS unused\n"
                             "RUN exit 1\n"
                             "FROM localhost/busybox:latest\n"
                             "COPY --from=build /out/app.bin /usr/local/bin/\n"
                             "RUN cat /usr/local/bin/app.bin\n");
        Recorder rec;
        auto built = b.build(req, rec);
        CHECK(rec.started
            == std::vector<std::string> {"[build 1/2] FROM localhost/busybox:latest AS build",
                "[build 2/2] RUN mkdir /out && echo compiled > /out/app.bin && echo junk > /junk",
                "[stage-2 1/3] FROM localhost/busybox:latest",
                "[stage-2 2/3] COPY --from=build /out/app.bin /usr/local/bin/",
                "[stage-2 3/3] RUN cat /usr/local/bin/app.bin"});
        CHECK(rec.out == "compiled\n");
        CHECK(b.read(built.image, "usr/local/bin/app.bin") == "compiled\n");
        CHECK(b.read(built.image, "junk") == std::nullopt);
        auto base = b.store->resolve("localhost/busybox:latest");
        CHECK(built.image.layers.size() == base->layers.size() + 1); // the COPY; the RUN changed nothing
    }

    TEST_CASE("BuildImage_Rebuild_AllCachedThenMissFromTouchedFileOn")
    {
        BuildRoot b;
        b.file("first.txt", "1");
        b.file("second.txt", "2");
        auto req = b.request("FROM localhost/busybox:latest\n"
                             "COPY first.txt /\n"
                             "RUN echo ran-one && cat /first.txt > /one\n"
                             "COPY second.txt /\n"
                             "RUN echo ran-two && cat /second.txt > /two\n");
        Recorder cold;
        auto first = b.build(req, cold);
        CHECK(first.result.cached == 0);
        CHECK(cold.out == "ran-one\nran-two\n");

        Recorder warm;
        auto again = b.build(req, warm);
        CHECK(again.result.cached == 4); // every step but FROM
        CHECK(warm.cached.size() == 4);
        CHECK(warm.out.empty()); // no RUN ran
        CHECK(again.image.id == first.image.id);

        b.file("second.txt", "2 changed");
        Recorder touched;
        auto changed = b.build(req, touched);
        CHECK(touched.cached
            == std::vector<std::string> {
                "[2/5] COPY first.txt /", "[3/5] RUN echo ran-one && cat /first.txt > /one"});
        CHECK(touched.out == "ran-two\n");
        CHECK(changed.image.id != first.image.id);
        CHECK(b.read(changed.image, "two") == "2 changed");
        CHECK(b.read(changed.image, "one") == "1");

        // --no-cache runs everything again.
        auto nc = req;
        nc.no_cache = true;
        Recorder fresh;
        auto rebuilt = b.build(nc, fresh);
        CHECK(rebuilt.result.cached == 0);
        CHECK(fresh.out == "ran-one\nran-two\n");
    }

    TEST_CASE("BuildImage_Dockerignore_ExcludedFilesNeitherCopiedNorInTheCacheKey")
    {
        BuildRoot b;
        b.file(".dockerignore", "# local junk\nsecret.txt\nlogs\n*.tmp\n!keep.tmp\n");
        b.file("app.sh", "echo app\n");
        b.file("secret.txt", "password");
        b.file("logs/today.log", "noise");
        b.file("scratch.tmp", "x");
        b.file("keep.tmp", "kept");
        auto req = b.request("FROM localhost/busybox:latest\nCOPY . /ctx/\nRUN ls -a /ctx\n");
        Recorder rec;
        auto built = b.build(req, rec);
        CHECK(rec.out == ".\n..\n.dockerignore\nDockerfile\napp.sh\nkeep.tmp\n");
        CHECK(b.read(built.image, "ctx/secret.txt") == std::nullopt);
        CHECK(b.read(built.image, "ctx/keep.tmp") == "kept");

        b.file("secret.txt", "another password");
        b.file("logs/tomorrow.log", "more noise");
        Recorder again;
        auto rebuilt = b.build(req, again);
        CHECK(again.cached.size() == 2);
        CHECK(rebuilt.image.id == built.image.id);
    }

    TEST_CASE("BuildImage_RunNetwork_NoneByDefaultHostWhenAsked")
    {
        BuildRoot b;
        // The network namespace a step ran in, compared with ours (the host's): exact, and
        // immune to interfaces other tests add and remove meanwhile.
        char buf[64] = {};
        REQUIRE(::readlink("/proc/self/ns/net", buf, sizeof buf - 1) > 0);
        std::string host_ns = std::string(buf) + "\n";
        auto req
            = b.request("FROM localhost/busybox:latest\n"
                        "RUN readlink /proc/self/ns/net > /none-ns && grep -c : /proc/net/dev > /none-count\n"
                        "RUN --network=host readlink /proc/self/ns/net > /host-ns\n");
        Recorder rec;
        auto built = b.build(req, rec);
        CHECK(b.read(built.image, "none-count") == "1\n"); // loopback only
        CHECK(b.read(built.image, "none-ns") != host_ns);
        CHECK(b.read(built.image, "host-ns") == host_ns);

        auto host = b.request(
            "FROM localhost/busybox:latest\nRUN readlink /proc/self/ns/net > /ns\n", "localhost/host:latest");
        host.network = "host";
        Recorder rec2;
        auto h = b.build(host, rec2);
        CHECK(b.read(h.image, "ns") == host_ns);

        auto bad = b.request("FROM localhost/busybox:latest\nRUN true\n");
        bad.network = "bridge";
        auto r = build_image(*b.store, bad, b.options);
        REQUIRE(!r);
        CHECK(
            r.error().summary() == "network mode \"bridge\" not supported by wharf build (use none or host)");
    }

    TEST_CASE("BuildImage_FailingRun_ReportsStepCommandCodeAndLeavesNothing")
    {
        BuildRoot b;
        b.file("a.txt", "a");
        auto req = b.request("FROM localhost/busybox:latest\n"
                             "COPY a.txt /\n"
                             "RUN echo about to fail; sleep 30 & exit 3\n"
                             "RUN echo never\n");
        Recorder rec;
        auto r = build_image(*b.store, req, rec, b.options);
        REQUIRE(!r);
        CHECK(r.error().summary()
            == "Dockerfile:3: Step 3/4 : RUN echo about to fail; sleep 30 & exit 3: process "
               "\"/bin/sh -c echo about to fail; sleep 30 & exit 3\" did not complete successfully: "
               "exit code: 3");
        CHECK(r.error().render().find("RUN echo about to fail") != std::string::npos);
        CHECK(rec.out == "about to fail\n");
        // Nothing tagged, no container, no scratch dir; the BuildRoot checks mounts and processes.
        auto tagged = b.store->resolve("localhost/app:latest");
        REQUIRE(!tagged);
        CHECK(tagged.error().code() == Errc::NotFound);
        CHECK(b.container_count() == 0);
        CHECK(dir_entries(b.root + "/build/tmp").empty());

        // A command that cannot start is an error naming it, also cleaned up.
        auto exec = b.request("FROM localhost/busybox:latest\nRUN [\"/no/such/tool\", \"x\"]\n");
        Recorder rec2;
        auto e = build_image(*b.store, exec, rec2, b.options);
        REQUIRE(!e);
        CHECK(e.error().summary().find("Dockerfile:2: Step 2/2 : RUN [\"/no/such/tool\", \"x\"]: ") == 0);
        CHECK(e.error().summary().find("/no/such/tool") != std::string::npos);
        CHECK(b.container_count() == 0);
    }

    TEST_CASE("BuildImage_ConcurrentBuildsOnThreads_OneStore")
    {
        // Compose builds services in parallel from one process.
        BuildRoot b;
        std::vector<std::string> ctxs;
        for (int i = 0; i < 3; ++i) {
            std::string dir = b.tmp.path() + "/ctx" + std::to_string(i);
            REQUIRE(sys::make_dirs(dir));
            REQUIRE(sys::write_file_atomic(dir + "/Dockerfile",
                "FROM localhost/busybox:latest\nRUN echo service-" + std::to_string(i)
                    + " > /name && sleep 0.2\n"));
            ctxs.push_back(dir);
        }
        std::vector<Result<BuiltImage>> results(3, Error(Errc::Internal, "not run"));
        std::vector<std::thread> threads;
        for (int i = 0; i < 3; ++i)
            threads.emplace_back([&, i] {
                BuildRequest req;
                req.context_dir = ctxs[static_cast<size_t>(i)];
                req.tags = {"localhost/svc" + std::to_string(i) + ":latest"};
                results[static_cast<size_t>(i)] = build_image(*b.store, req, b.options);
            });
        for (auto& t : threads)
            t.join();
        for (int i = 0; i < 3; ++i) {
            auto& r = results[static_cast<size_t>(i)];
            REQUIRE_MESSAGE(r, r.error().render());
            CHECK(b.read(r->image, "name") == "service-" + std::to_string(i) + "\n");
            CHECK(b.store->resolve("localhost/svc" + std::to_string(i))->id == r->image.id);
        }
        CHECK(b.container_count() == 0);
    }

    TEST_CASE("BuildImage_FromAbsentImage_PulledFromTheRegistry")
    {
        BuildRoot b;
        auto reg = test::LocalRegistry::start();
        REQUIRE_MESSAGE(reg, reg.error().summary());
        auto remote = ImageReference::parse(reg->host() + "/base/busybox:1");
        REQUIRE(remote);
        auto local = b.store->resolve("localhost/busybox:latest");
        REQUIRE(local);
        REQUIRE(b.store->tag(local->id, *remote));
        auto pushed = registry::push_image(*b.store, *remote, registry::PushOptions {});
        REQUIRE_MESSAGE(pushed, pushed.error().summary());
        REQUIRE(b.store->untag(*remote));
        REQUIRE_FALSE(b.store->resolve(remote->str()));

        auto req = b.request("FROM " + remote->str() + "\nRUN echo on the pulled base > /pulled\n");
        Recorder rec;
        auto built = b.build(req, rec);
        CHECK(rec.messages == std::vector<std::string> {"pulling " + remote->str()});
        CHECK(b.store->resolve(remote->str())->id == local->id); // the pull registered it
        CHECK(b.read(built.image, "pulled") == "on the pulled base\n");

        // A base in no store and no registry: the pull's error, framed by the step.
        auto missing = b.request("FROM " + reg->host() + "/nope:1\nRUN true\n");
        Recorder rec2;
        auto r = build_image(*b.store, missing, rec2, b.options);
        REQUIRE_FALSE(r);
        CHECK(r.error().summary().find("Dockerfile:1: Step 1/2 : FROM " + reg->host() + "/nope:1: ") == 0);
    }

    TEST_CASE("BuildImage_BadTag_RejectedBeforeAnyStep")
    {
        BuildRoot b;
        auto req = b.request("FROM localhost/busybox:latest\nRUN exit 9\n", "Bad/Name");
        Recorder rec;
        auto r = build_image(*b.store, req, rec, b.options);
        REQUIRE(!r);
        CHECK(r.error().summary().find("invalid tag \"Bad/Name\": ") == 0);
        CHECK(rec.started.empty());
    }

} // TEST_SUITE
