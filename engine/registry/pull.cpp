#include "engine/registry/pull.h"

#include "engine/registry/credential_helper.h"
#include "engine/registry/registry_client.h"

#include <atomic>
#include <mutex>
#include <thread>

namespace wharf::engine::registry {

namespace {

using Kind = PullEvent::Kind;

/// One pull in progress: the client, the lease and the serialised progress callback.
struct Puller {
    ImageStore& store;
    const ImageReference& ref;
    const PullOptions& opts;
    RegistryClient& client;
    Lease& lease;
    std::mutex progress_mu;
    std::atomic<bool> failed{false};

    void emit(Kind kind, const std::string& layer, uint64_t current = 0, uint64_t total = 0, Digest digest = {})
    {
        if (!opts.progress)
            return;
        std::lock_guard lock(progress_mu);
        opts.progress(PullEvent{kind, layer, current, total, std::move(digest)});
    }

    Result<void> fetch_layer(const Descriptor& d, const Digest& diff_id)
    {
        const std::string id = d.digest.short_hex();
        ContentStore& content = store.content();
        LayerStore& layers = store.layers();
        lease.add(d.digest);
        lease.add(diff_id);
        const bool have_layer = layers.has(diff_id);
        if (content.has(d.digest)) {
            // The blob is here (a save/load or an interrupted pull left it): unpack from disk.
            emit(Kind::LayerExtracting, id);
            TRY(layers.unpack_file(content.blob_path(d.digest), diff_id));
            emit(Kind::LayerComplete, id);
            return ok();
        }
        if (!media::is_layer(d.media_type))
            return Error(Errc::Invalid, "unsupported layer media type \"" + d.media_type + "\"");
        BlobReader reader = TRY(client.open_blob(ref.path, d));
        Ingest ingest = TRY(content.begin_ingest());
        const uint64_t total = d.size > 0 ? static_cast<uint64_t>(d.size) : 0;
        std::optional<Error> source_error;
        bool committed = false;
        uint64_t reported = 0;
        // The one byte source for both consumers: every byte handed to the unpacker is
        // first written to the ingest, whose commit at the end verifies size and digest. The
        // unpacker sees the end of the stream only after that verification succeeded.
        LayerReadFn read = [&](void* buf, size_t cap) -> ssize_t {
            if (committed)
                return 0;
            if (failed.load()) {
                source_error = Error(Errc::Interrupted, "cancelled because another layer failed");
                return -1;
            }
            auto n = reader.read(buf, cap);
            if (!n) {
                source_error = std::move(n).error();
                return -1;
            }
            if (*n == 0) {
                emit(Kind::LayerVerifying, id);
                auto c = ingest.commit(d.digest, d.size, "layer " + d.digest.str());
                if (!c) {
                    source_error = std::move(c).error();
                    return -1;
                }
                committed = true;
                emit(Kind::LayerDownloaded, id);
                return 0;
            }
            if (auto w = ingest.write(buf, *n); !w) {
                source_error = std::move(w).error();
                return -1;
            }
            if (ingest.size() - reported >= (512u << 10)) {
                reported = ingest.size();
                emit(Kind::LayerDownloading, id, reported, total);
            }
            return static_cast<ssize_t>(*n);
        };
        if (!have_layer) {
            auto u = layers.unpack(read, diff_id);
            if (!u) {
                if (source_error)
                    return std::move(*source_error);
                // A tar or gzip error may well be a corrupt download: read the rest so the
                // digest check can say so, which is the more useful diagnosis.
                std::vector<char> rest(256 << 10);
                ssize_t n;
                while ((n = read(rest.data(), rest.size())) > 0) {
                }
                if (n < 0 && source_error && source_error->code() != Errc::Interrupted)
                    return std::move(*source_error);
                return std::move(u).error();
            }
        }
        // The tar may end before the compressed stream does (gzip trailer, padding); the
        // rest still has to arrive and be verified, and a known layer only needs the blob.
        std::vector<char> buf(256 << 10);
        while (!committed) {
            ssize_t n = read(buf.data(), buf.size());
            if (n < 0)
                return std::move(*source_error);
            if (n == 0 && !committed)
                return Error(Errc::Internal, "layer stream ended without verification");
        }
        emit(Kind::LayerComplete, id);
        return ok();
    }
};

/// Follows indexes (possibly nested) down to one image manifest for `platform`.
Result<FetchedManifest> choose_manifest(const RegistryClient& client, const std::string& repo, FetchedManifest top,
                                        const Platform& platform)
{
    FetchedManifest cur = std::move(top);
    for (int depth = 0; media::is_index(cur.media_type); ++depth) {
        if (depth == 4)
            return Error(Errc::Invalid, "image index nested too deeply");
        auto idx = TRY_CTX(parse_index(cur.bytes, cur.media_type), "image index " + cur.digest.str());
        auto desc = TRY_CTX(select_platform(idx, platform), "image index " + cur.digest.str());
        cur = TRY(client.get_manifest(repo, desc.digest.str(), desc.digest));
    }
    return cur;
}

Result<PullResult> pull(ImageStore& store, const ImageReference& ref, const PullOptions& opts)
{
    if (ref.tag.empty() && !ref.digest)
        return Error(Errc::Invalid, "pull " + ref.name() + ": the reference needs a tag or a digest");
    ClientOptions co;
    co.credentials = opts.credentials;
    if (!co.credentials && opts.use_docker_config)
        co.credentials = TRY(credentials_from_docker_config(ref.domain));
    co.insecure = opts.insecure;
    co.retries = opts.retries;
    auto client = TRY(RegistryClient::connect(ref.registry_host(), co));
    const std::string& repo = ref.path;
    auto top = TRY(client->get_manifest(repo, ref.digest ? ref.digest->str() : ref.tag, ref.digest));
    Digest top_digest = top.digest;
    auto chosen = TRY(choose_manifest(*client, repo, std::move(top), opts.platform.value_or(host_platform())));
    auto manifest = TRY_CTX(parse_manifest(chosen.bytes, chosen.media_type), "manifest " + chosen.digest.str());

    PullResult result;
    result.digest = top_digest;
    {
        auto before = store.resolve(ref.digest ? ref.name() + "@" + top_digest.str() : ref.str());
        result.downloaded = !(before && before->manifest_digest == chosen.digest);
    }

    std::optional<Lease> lease = TRY(store.lease());
    // All or nothing: unless committed, drop our lease and sweep what nothing references.
    struct Rollback {
        ImageStore& store;
        std::optional<Lease>& lease;
        bool armed = true;
        ~Rollback()
        {
            if (!armed)
                return;
            lease.reset();
            (void)store.gc();
        }
    } rollback{store, lease};

    Puller p{store, ref, opts, *client, *lease, {}, {}};
    p.emit(Kind::Resolved, {}, 0, 0, top_digest);

    lease->add(manifest.config.digest);
    std::string config_bytes;
    if (store.content().has(manifest.config.digest)) {
        config_bytes = TRY(store.content().read(manifest.config.digest));
    } else {
        config_bytes = TRY_CTX(client->get_blob(repo, manifest.config), "image config");
        TRY(store.content().put(config_bytes, manifest.config.digest));
    }
    auto doc = TRY_CTX(parse_image_document(config_bytes), "config " + manifest.config.digest.str());
    if (doc.diff_ids.size() != manifest.layers.size())
        return Error(Errc::Invalid, "manifest " + chosen.digest.str() + " lists " +
                                        std::to_string(manifest.layers.size()) + " layers but its config has " +
                                        std::to_string(doc.diff_ids.size()) + " diff_ids");

    lease->add(chosen.digest);
    TRY(store.content().put(chosen.bytes, chosen.digest));

    struct Job {
        Descriptor desc;
        Digest diff_id;
    };
    std::vector<Job> jobs;
    for (size_t i = 0; i < manifest.layers.size(); ++i) {
        const auto& d = manifest.layers[i];
        bool dup = false;
        for (auto& j : jobs)
            dup = dup || j.desc.digest == d.digest;
        if (dup)
            continue;
        if (store.content().has(d.digest) && store.layers().has(doc.diff_ids[i])) {
            lease->add(d.digest);
            p.emit(Kind::LayerExists, d.digest.short_hex());
            continue;
        }
        p.emit(Kind::LayerWaiting, d.digest.short_hex());
        jobs.push_back({d, doc.diff_ids[i]});
    }

    std::atomic<size_t> next{0};
    std::mutex error_mu;
    std::optional<Error> first_error;
    auto worker = [&] {
        for (;;) {
            size_t i = next++;
            if (i >= jobs.size() || p.failed.load())
                return;
            auto r = p.fetch_layer(jobs[i].desc, jobs[i].diff_id);
            if (!r) {
                std::lock_guard lock(error_mu);
                // The first real failure wins over the cancellations it caused.
                if (!first_error || (first_error->code() == Errc::Interrupted && r.error().code() != Errc::Interrupted))
                    first_error = std::move(r).error().context("layer " + jobs[i].desc.digest.short_hex());
                p.failed = true;
            }
        }
    };
    size_t n_workers = std::min<size_t>(jobs.size(), static_cast<size_t>(std::max(1, opts.max_concurrent_downloads)));
    std::vector<std::thread> threads;
    for (size_t i = 1; i < n_workers; ++i)
        threads.emplace_back(worker);
    if (n_workers > 0)
        worker();
    for (auto& t : threads)
        t.join();
    if (first_error)
        return std::move(*first_error);
    if (!jobs.empty())
        result.downloaded = true;

    std::vector<ImageReference> tags;
    if (!ref.digest)
        tags.push_back(ref);
    result.image = TRY(store.register_manifest(chosen.digest, chosen.media_type, tags, ref.name(), top_digest));
    rollback.armed = false;
    return result;
}

} // namespace

Result<PullResult> pull_image(ImageStore& store, const ImageReference& ref, const PullOptions& opts)
{
    auto r = pull(store, ref, opts);
    if (!r && r.error().frames().empty() == false && r.error().frames().front().starts_with("layer "))
        return std::move(r).error().context("pull " + ref.familiar());
    if (r) // Docker's pull event names the image as pulled, by tag or digest.
        store.journal("pull", ref.familiar(), ref.familiar());
    return r;
}

Result<std::optional<Credentials>> credentials_from_docker_config(const std::string& registry_domain)
{
    auto store = TRY(CredentialStore::load(docker_config_path_from_env()));
    return TRY_CTX(find_credentials(store, registry_domain), "error getting credentials");
}

} // namespace wharf::engine::registry
