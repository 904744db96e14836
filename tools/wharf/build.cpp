// `wharf build` / `wharf image build`: a Dockerfile and a context directory become an image
// (engine/build/build.h). Progress goes to stderr (build_progress.h), `-q` prints only the
// image ID on stdout. `-f -` reads the Dockerfile from stdin; CONTEXT `-` reads a context
// archive (tar, any compression) or else a Dockerfile with an empty context, as Docker does.
// Exit 1 on any error, with the Dockerfile line of the failing instruction.
#include "engine/build/build.h"
#include "engine/build/context_archive.h"
#include "engine/image/manifest.h"
#include "engine/sys/file.h"
#include "tools/wharf/build_progress.h"
#include "tools/wharf/image_cli.h"

#include <cstdlib>
#include <iostream>
#include <iterator>
#include <sys/ioctl.h>
#include <unistd.h>

namespace wharf::cli {
namespace {

struct Opts {
    std::vector<std::string> tags, build_args, labels;
    std::string file, target, network = "default", progress = "auto", context, iidfile, platform;
    bool no_cache = false, pull = false, quiet = false;
};

/// K=V pairs; a bare K takes its value from the environment (Docker's --build-arg rule),
/// or is dropped when unset there.
Result<std::map<std::string, std::string>> key_values(
    const std::vector<std::string>& items, const char* flag, bool from_env)
{
    std::map<std::string, std::string> out;
    for (const auto& item : items) {
        auto eq = item.find('=');
        std::string key = item.substr(0, eq);
        if (key.empty())
            return Error(
                Errc::Invalid, std::string("invalid argument \"") + item + "\" for \"" + flag + "\" flag");
        if (eq != std::string::npos)
            out[key] = item.substr(eq + 1);
        else if (!from_env)
            out[key] = "";
        else if (const char* v = std::getenv(key.c_str()))
            out[key] = v;
    }
    return out;
}

std::string read_stdin()
{
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

int terminal_columns(int fd)
{
    winsize ws {};
    if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

int run_build(Opts& o, Context& ctx)
{
    if (!o.platform.empty()) {
        // No emulation: only the host's platform can run RUN steps (and be the image's).
        auto want = engine::parse_platform(o.platform);
        if (!want)
            return report(want.error());
        auto host = engine::host_platform();
        if (engine::normalize_platform(*want) != host)
            return report(Error(Errc::Invalid,
                "--platform " + o.platform + ": only the host platform (" + host.str()
                    + ") can be built here"));
    }
    engine::build::BuildRequest req;
    auto args = key_values(o.build_args, "--build-arg", true);
    if (!args)
        return report(args.error());
    auto labels = key_values(o.labels, "--label", false);
    if (!labels)
        return report(labels.error());
    req.build_args = std::move(*args);
    req.labels = std::move(*labels);
    req.tags = o.tags;
    req.target = o.target;
    req.network = o.network;
    req.no_cache = o.no_cache;
    req.pull = o.pull;

    std::optional<sys::TempDir> stdin_context;
    std::string df_name = "Dockerfile";
    if (o.context == "-") {
        // Docker's `build -`: stdin is either a context archive or a Dockerfile (no context).
        auto tmp = sys::TempDir::create("wharf-build-ctx");
        if (!tmp)
            return report(tmp.error());
        stdin_context.emplace(std::move(*tmp));
        req.context_dir = stdin_context->path();
        std::string in = read_stdin();
        if (engine::build::looks_like_archive(in)) {
            if (o.file == "-")
                return report(Error(Errc::Invalid, "-f -: stdin already carries the build context"));
            if (auto r = engine::build::unpack_context_archive(in, req.context_dir); !r)
                return report(r.error());
            req.dockerfile = o.file; // relative to the archive's root
            if (!o.file.empty())
                df_name = o.file;
        } else {
            if (!o.file.empty() && o.file != "-")
                return report(Error(
                    Errc::Invalid, "the Dockerfile comes from stdin with context \"-\": -f is not allowed"));
            req.dockerfile_inline = std::move(in);
        }
    } else {
        req.context_dir = o.context;
        if (o.file == "-") {
            req.dockerfile_inline = read_stdin();
        } else if (!o.file.empty()) {
            // Docker resolves -f against the working directory, not the context (the
            // request's is relative to the context): the same when the context is ".".
            char cwd[4096];
            if (!::getcwd(cwd, sizeof cwd))
                return report(Error::from_errno("getcwd(2)", errno));
            char* ctx_real = ::realpath(o.context.c_str(), nullptr);
            bool context_is_cwd = ctx_real && std::string(ctx_real) == cwd;
            std::free(ctx_real);
            if (o.file.starts_with('/') || context_is_cwd)
                req.dockerfile = o.file;
            else
                req.dockerfile = std::string(cwd) + "/" + o.file;
            df_name = o.file;
        }
    }

    ProgressMode mode = ProgressMode::Quiet;
    if (!o.quiet) {
        auto m = parse_progress_mode(o.progress, STDERR_FILENO);
        if (!m)
            return report(m.error());
        mode = *m;
    }
    BuildProgressPrinter progress(std::cerr, mode, terminal_columns(STDERR_FILENO));

    auto store = open_image_store(ctx);
    if (!store)
        return report(store.error());
    progress.begin(req.dockerfile_inline ? "stdin" : df_name);
    auto built = engine::build::build_image(*store, req, progress);
    if (!built) {
        progress.fail_step(built.error());
        return report(built.error(), built.error().code() == Errc::Interrupted ? 130 : 1);
    }
    std::vector<std::string> shown;
    for (const auto& t : req.tags) {
        auto ref = engine::ImageReference::parse(t);
        shown.push_back(ref ? ref->str() : t);
    }
    progress.finished(built->image.id.str(), shown);
    if (!o.iidfile.empty())
        if (auto w = sys::write_file_atomic(o.iidfile, built->image.id.str()); !w)
            return report(w.error());
    if (o.quiet)
        std::cout << built->image.id.str() << "\n";
    return 0;
}

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto o = std::make_shared<Opts>();
    cmd.add_option("-t,--tag", o->tags, "Name and optionally a tag (format: \"name:tag\")")
        ->allow_extra_args(false);
    cmd.add_option(
        "-f,--file", o->file, "Name of the Dockerfile (default: \"PATH/Dockerfile\"; \"-\" reads stdin)");
    cmd.add_option("--target", o->target, "Set the target build stage to build");
    cmd.add_option("--build-arg", o->build_args, "Set build-time variables")->allow_extra_args(false);
    cmd.add_option("--label", o->labels, "Set metadata for an image")->allow_extra_args(false);
    cmd.add_flag("--no-cache", o->no_cache, "Do not use cache when building the image");
    cmd.add_flag("--pull", o->pull, "Always attempt to pull all referenced images");
    cmd.add_option("--network", o->network,
        "Set the networking mode for the RUN instructions during build (none, host)");
    cmd.add_flag("-q,--quiet", o->quiet, "Suppress the build output and print image ID on success");
    cmd.add_option("--progress", o->progress, "Set type of progress output (auto, plain, tty, quiet)");
    cmd.add_option("--iidfile", o->iidfile, "Write the image ID to the file");
    cmd.add_option("--platform", o->platform, "Set the target platform for the build (the host's only)");
    cmd.add_option("context", o->context, "PATH | -")->required();
    return [o, &ctx] { return run_build(*o, ctx); };
}

VerbRegistration reg {{.parent = "",
    .name = "build",
    .aliases = {},
    .help = "Build an image from a Dockerfile",
    .setup = setup}};
VerbRegistration reg_image {{.parent = "image",
    .name = "build",
    .aliases = {},
    .help = "Build an image from a Dockerfile",
    .setup = setup}};

} // namespace
} // namespace wharf::cli
