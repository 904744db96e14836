// `wharf pull [-a] [-q] [--platform P] NAME[:TAG|@DIGEST]`: Docker's pull and its output.
#include "engine/registry/pull.h"
#include "engine/registry/registry_client.h"
#include "tools/wharf/image_cli.h"
#include "tools/wharf/registry_cli.h"

#include <iostream>

namespace wharf::cli {
namespace {

using engine::registry::PullEvent;

/// One reference: progress lines, then Docker's Digest/Status lines. Returns the exit code.
int pull_one(engine::ImageStore& store, const engine::ImageReference& ref, bool quiet,
             const std::optional<engine::Platform>& platform)
{
    auto r = pull_with_progress(store, ref, std::cout, stdout_is_terminal(), quiet, platform);
    if (!r)
        return report(r.error());
    std::cout << ref.str() << "\n";
    return 0;
}
} // namespace

Result<void> pull_with_progress(engine::ImageStore& store, const engine::ImageReference& ref, std::ostream& out,
                                bool terminal, bool quiet, const std::optional<engine::Platform>& platform)
{
    LayerProgress progress(out, terminal);
    engine::registry::PullOptions opts;
    opts.platform = platform;
    if (!quiet) {
        progress.line((ref.digest ? ref.digest->str() : ref.tag) + ": Pulling from " + ref.path);
        opts.progress = [&progress](const PullEvent& e) {
            switch (e.kind) {
            case PullEvent::Kind::Resolved:
                break;
            case PullEvent::Kind::LayerWaiting:
                progress.status(e.layer, "Pulling fs layer");
                break;
            case PullEvent::Kind::LayerExists:
                progress.status(e.layer, "Already exists");
                break;
            case PullEvent::Kind::LayerDownloading:
                progress.bytes(e.layer, "Downloading", e.current, e.total);
                break;
            case PullEvent::Kind::LayerVerifying:
                progress.status(e.layer, "Verifying Checksum");
                break;
            case PullEvent::Kind::LayerDownloaded:
                progress.status(e.layer, "Download complete");
                break;
            case PullEvent::Kind::LayerExtracting:
                progress.status(e.layer, "Extracting");
                break;
            case PullEvent::Kind::LayerComplete:
                progress.status(e.layer, "Pull complete");
                break;
            }
        };
    }
    auto r = TRY(engine::registry::pull_image(store, ref, opts));
    if (!quiet) {
        progress.line("Digest: " + r.digest.str());
        progress.line(std::string(r.downloaded ? "Status: Downloaded newer image for "
                                               : "Status: Image is up to date for ") +
                      ref.familiar());
    }
    return ok();
}

namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto name = std::make_shared<std::string>();
    auto all_tags = std::make_shared<bool>(false);
    auto quiet = std::make_shared<bool>(false);
    auto platform = std::make_shared<std::string>();
    auto trust = std::make_shared<bool>(true);
    cmd.add_flag("-a,--all-tags", *all_tags, "Download all tagged images in the repository");
    cmd.add_flag("-q,--quiet", *quiet, "Suppress verbose output");
    cmd.add_option("--platform", *platform, "Set platform if server is multi-platform capable");
    cmd.add_flag("--disable-content-trust", *trust, "Skip image verification (default true)");
    cmd.add_option("name", *name, "NAME[:TAG|@DIGEST]")->required();
    return [=, &ctx] {
        auto parsed = engine::ImageReference::parse(*name, engine::DefaultTag::None);
        if (!parsed)
            return report(parsed.error());
        std::optional<engine::Platform> plat;
        if (!platform->empty()) {
            auto p = engine::parse_platform(*platform);
            if (!p)
                return report(p.error());
            plat = engine::normalize_platform(*p);
        }
        auto store = open_image_store(ctx);
        if (!store)
            return report(store.error());
        if (*all_tags) {
            if (!parsed->tag.empty() || parsed->digest)
                return report(Error(Errc::Invalid, "tag can't be used with --all-tags/-a"));
            engine::registry::ClientOptions co;
            auto creds = engine::registry::credentials_from_docker_config(parsed->domain);
            if (!creds)
                return report(creds.error());
            co.credentials = *creds;
            auto client = engine::registry::RegistryClient::connect(parsed->registry_host(), co);
            if (!client)
                return report(client.error());
            auto tags = (*client)->list_tags(parsed->path);
            if (!tags)
                return report(tags.error());
            if (tags->empty())
                return report(Error(Errc::NotFound, "no tags in " + parsed->name()));
            int rc = 0;
            for (auto& t : *tags) {
                auto ref = *parsed;
                ref.tag = t;
                if (pull_one(*store, ref, *quiet, plat) != 0)
                    rc = 1;
            }
            return rc;
        }
        auto ref = *parsed;
        if (ref.tag.empty() && !ref.digest) {
            ref.tag = "latest";
            if (!*quiet)
                std::cout << "Using default tag: latest\n";
        }
        return pull_one(*store, ref, *quiet, plat);
    };
}

VerbRegistration reg{{.parent = "", .name = "pull", .aliases = {},
    .help = "Download an image from a registry", .setup = setup}};
VerbRegistration reg_image{{.parent = "image", .name = "pull", .aliases = {},
    .help = "Download an image from a registry", .setup = setup}};

} // namespace
} // namespace wharf::cli
