// build_image(): request checks, the store backend and the builder wired together (see build.h).
#include "engine/build/build.h"

#include "engine/api/image_reference.h"
#include "engine/build/step_container.h"
#include "engine/registry/pull.h"
#include "engine/sys/file.h"
#include "engine/sys/process.h"

#include <dirent.h>
#include <memory>

namespace wharf::engine::build {
namespace {

struct NoProgress : ProgressSink { };

Result<void> check_request(BuildRequest& req)
{
    for (const auto& t : req.tags) {
        auto ref = ImageReference::parse(t);
        if (!ref)
            return Error(Errc::Invalid, "invalid tag \"" + t + "\": " + ref.error().message());
        if (ref->digest)
            return Error(Errc::Invalid, "invalid tag \"" + t + "\": a tag cannot contain a digest");
    }
    if (req.network.empty() || req.network == "default")
        req.network = "none";
    if (req.network != "none" && req.network != "host")
        return Error(Errc::Invalid,
            "network mode \"" + req.network + "\" not supported by wharf build (use none or host)");
    return ok();
}

} // namespace

void sweep_build_scratch(const std::string& state_root)
{
    std::string dir = state_root + "/build/tmp";
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
    if (!d)
        return;
    std::vector<std::string> stale;
    while (dirent* de = ::readdir(d.get())) {
        std::string name = de->d_name;
        if (!name.starts_with("step-"))
            continue;
        pid_t pid = static_cast<pid_t>(std::strtol(name.c_str() + 5, nullptr, 10));
        if (pid > 0 && !sys::process_alive(pid))
            stale.push_back(dir + "/" + name);
    }
    for (const auto& s : stale)
        (void)sys::remove_all(s);
}

Result<BuiltImage> build_image(ImageStore& store, const BuildRequest& request_in, ProgressSink& progress,
    const StoreBackendOptions& options)
{
    BuildRequest request = request_in;
    TRY(check_request(request));
    StoreBackendOptions opts = options;
    if (!opts.pull)
        opts.pull = [&progress](ImageStore& s, const std::string& ref) -> Result<Image> {
            auto parsed = TRY(ImageReference::parse(ref));
            progress.message("pulling " + parsed.str());
            auto pulled = TRY(registry::pull_image(s, parsed, registry::PullOptions {}));
            return pulled.image;
        };
    if (!opts.warn)
        opts.warn = [&progress](const std::string& m) { progress.message(m); };
    auto backend = TRY(StoreBackend::create(store, opts));
    if (request.state_root.empty())
        request.state_root = backend.state_root();
    sweep_build_scratch(backend.state_root());
    sweep_build_containers(backend.state_root(), opts.wharf_binary);
    BuiltImage out;
    out.result = TRY(build(request, backend, progress));
    out.image = TRY(store.get(TRY(Digest::parse(out.result.image_id))));
    return out;
}

Result<BuiltImage> build_image(
    ImageStore& store, const BuildRequest& request, const StoreBackendOptions& options)
{
    NoProgress none;
    return build_image(store, request, none, options);
}

} // namespace wharf::engine::build
