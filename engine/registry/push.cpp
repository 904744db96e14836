#include "engine/registry/push.h"

#include "engine/registry/pull.h"
#include "engine/registry/registry_client.h"

#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace wharf::engine::registry {

namespace {

using Kind = PushEvent::Kind;

struct Blob {
    Descriptor desc;
    std::string id; ///< progress ID
    bool is_config = false;
};

} // namespace

Result<PushResult> push_image(ImageStore& store, const ImageReference& ref, const PushOptions& opts)
{
    if (ref.digest)
        return Error(Errc::Invalid, "push " + ref.familiar() + ": cannot push a digest reference; push a tag");
    Image img = TRY(store.resolve(ref.str()));
    ClientOptions co;
    co.credentials = opts.credentials;
    if (!co.credentials && opts.use_docker_config)
        co.credentials = TRY(credentials_from_docker_config(ref.domain));
    co.insecure = opts.insecure;
    co.retries = opts.retries;
    auto client = TRY(RegistryClient::connect(ref.registry_host(), co));
    const std::string& repo = ref.path;

    std::string manifest_bytes = TRY_CTX(store.content().read(img.manifest_digest), "push " + ref.familiar());

    // Where else on this registry the image lives: candidates for cross-repository mounts.
    std::vector<std::string> mount_from;
    for (auto& rd : img.repo_digests)
        if (auto r = ImageReference::parse(rd); r && r->domain == ref.domain && r->path != ref.path)
            mount_from.push_back(r->path);

    std::vector<Blob> blobs;
    for (auto& l : img.layers) {
        Descriptor d;
        d.digest = l.blob_digest;
        d.size = l.blob_size;
        d.media_type = l.media_type;
        blobs.push_back({d, l.diff_id.short_hex(), false});
    }
    {
        Descriptor c;
        c.digest = img.id;
        c.size = TRY(store.content().size(img.id));
        blobs.push_back({c, img.id.short_hex(), true});
    }

    std::mutex progress_mu;
    auto emit = [&](PushEvent e) {
        if (!opts.progress)
            return;
        std::lock_guard lock(progress_mu);
        opts.progress(e);
    };
    for (auto& b : blobs)
        if (!b.is_config)
            emit({Kind::Preparing, b.id, 0, 0, {}, false});

    std::atomic<bool> failed{false};
    auto push_blob = [&](const Blob& b) -> Result<void> {
        auto have = TRY(client->stat_blob(repo, b.desc.digest));
        if (have) {
            emit({Kind::Exists, b.id, 0, 0, {}, b.is_config});
            return ok();
        }
        if (opts.cross_mount && !b.is_config)
            for (auto& from : mount_from)
                if (TRY(client->mount_blob(repo, b.desc.digest, from))) {
                    emit({Kind::Mounted, b.id, 0, 0, from, false});
                    return ok();
                }
        std::string path = store.content().blob_path(b.desc.digest);
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return Error::from_errno("open " + path, errno);
        sys::UniqueFd file(fd);
        uint64_t total = static_cast<uint64_t>(b.desc.size);
        uint64_t reported = 0;
        auto progress = [&](uint64_t done) {
            if (done - reported >= (512u << 10) || done == total) {
                reported = done;
                emit({Kind::Pushing, b.id, done, total, {}, b.is_config});
            }
        };
        TRY(client->upload_blob(repo, b.desc.digest, file.get(), b.desc.size, opts.chunk_size, progress));
        emit({Kind::Pushed, b.id, total, total, {}, b.is_config});
        return ok();
    };

    std::atomic<size_t> next{0};
    std::mutex error_mu;
    std::optional<Error> first_error;
    auto worker = [&] {
        for (;;) {
            size_t i = next++;
            if (i >= blobs.size() || failed.load())
                return;
            auto r = push_blob(blobs[i]);
            if (!r) {
                std::lock_guard lock(error_mu);
                if (!first_error)
                    first_error = std::move(r).error();
                failed = true;
            }
        }
    };
    size_t n_workers = std::min<size_t>(blobs.size(), static_cast<size_t>(std::max(1, opts.max_concurrent_uploads)));
    std::vector<std::thread> threads;
    for (size_t i = 1; i < n_workers; ++i)
        threads.emplace_back(worker);
    worker();
    for (auto& t : threads)
        t.join();
    if (first_error)
        return std::move(*first_error).context("push " + ref.familiar());

    auto digest = TRY_CTX(client->put_manifest(repo, ref.tag, manifest_bytes, img.manifest_media_type),
                          "push " + ref.familiar());
    // Record where the image now lives (repo digest), for `images --digests` and later mounts.
    (void)store.register_manifest(img.manifest_digest, img.manifest_media_type, {}, ref.name());
    store.journal("push", ref.familiar(), ref.familiar()); // Docker's push event: the reference pushed
    return PushResult{digest, static_cast<int64_t>(manifest_bytes.size()), ref.tag};
}

} // namespace wharf::engine::registry
