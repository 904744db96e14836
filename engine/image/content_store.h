#pragma once
/// ContentStore: content-addressed blobs (manifests, configs, layer blobs) under
/// `<image root>/blobs/sha256/<hex>`, with the original bytes kept so push and save
/// reproduce the same digests.
///
/// Writes go through an Ingest: bytes land in `<image root>/ingest/` while being hashed,
/// commit() verifies size and digest and renames the file into place, so a blob is never
/// visible half-written; an Ingest destroyed without commit() deletes its temp file.
/// Committing a blob that already exists is fine (same content by construction).
/// Thread-safe: distinct Ingests may run in parallel; the store holds no mutable state.

#include "engine/base/digest.h"
#include "engine/base/result.h"
#include "engine/sys/fd.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wharf::engine {

class Ingest {
public:
    Ingest(Ingest&&) noexcept = default;
    Ingest& operator=(Ingest&&) noexcept = default;
    ~Ingest();

    Result<void> write(const void* data, size_t size);
    /// Bytes written so far and their running digest.
    uint64_t size() const { return m_hasher.size(); }
    /// Verifies (when given) the expected digest and size, then moves the blob into place.
    /// Errors: `digest mismatch for <what>: expected sha256:…, got sha256:…`,
    /// `size mismatch for <what>: expected N bytes, got M`.
    Result<Digest> commit(const std::optional<Digest>& expected, std::optional<int64_t> expected_size,
                          const std::string& what);
    const std::string& temp_path() const { return m_temp; }

private:
    friend class ContentStore;
    Ingest(std::string blobs_dir, std::string temp, sys::UniqueFd fd)
        : m_blobs_dir(std::move(blobs_dir)), m_temp(std::move(temp)), m_fd(std::move(fd)) {}
    std::string m_blobs_dir;
    std::string m_temp;
    sys::UniqueFd m_fd;
    Sha256Hasher m_hasher;
    bool m_done = false;
};

class ContentStore {
public:
    /// `root` is the image store root; creates blobs/ and ingest/ below it.
    static Result<ContentStore> open(const std::string& root);

    std::string blob_path(const Digest& d) const { return m_root + "/blobs/" + d.algorithm() + "/" + d.hex(); }
    bool has(const Digest& d) const;
    /// Size in bytes of a stored blob, or NotFound.
    Result<int64_t> size(const Digest& d) const;
    /// Whole blob (for manifests and configs). NotFound: `blob sha256:… not found in the content store`.
    Result<std::string> read(const Digest& d) const;
    /// Stores small content in one go; verifies `expected` when given.
    Result<Digest> put(std::string_view bytes, const std::optional<Digest>& expected = std::nullopt);
    Result<Ingest> begin_ingest() const;
    /// Stores the file at `path` (copied; the file is left alone).
    Result<Digest> put_file(const std::string& path, const std::optional<Digest>& expected, const std::string& what);
    Result<void> remove(const Digest& d);
    /// Every stored sha256 blob.
    std::vector<Digest> list() const;
    const std::string& root() const { return m_root; }

private:
    explicit ContentStore(std::string root) : m_root(std::move(root)) {}
    std::string m_root;
};

} // namespace wharf::engine
