#pragma once
/// The build cache: one small JSON record per step key, under `<state root>/build/cache/`.
///
/// A step key is the sha256 of: the key of the state before the step (chained from the base
/// image ID), the step as history shows it (`created_by`, after variable expansion), the
/// content digest of what it reads (COPY/ADD), and the build args in scope. So an unchanged
/// step over an unchanged parent hits; a changed file misses at its COPY and every later
/// step (their parent key changed). The record keeps what the step produced: the layer (or
/// none for metadata-only steps) and its `created` time, so a fully cached rebuild yields the
/// same config bytes and thus the same image ID.
/// Records are written atomically; concurrent builds may race to write the same record (same
/// content either way). Thread-safe.

#include "engine/base/result.h"
#include "engine/build/backend.h"

#include <optional>
#include <string>
#include <vector>

namespace wharf::engine::build {

struct CacheRecord {
    std::optional<LayerRef> layer; ///< nullopt: empty_layer step
    std::string created; ///< RFC 3339 time of the first build of this step
};

class BuildCache {
public:
    explicit BuildCache(std::string state_root)
        : m_dir(std::move(state_root) + "/build/cache")
    {
    }
    Result<std::optional<CacheRecord>> get(const std::string& key) const;
    Result<void> put(const std::string& key, const CacheRecord& record) const;
    /// Removes every record (`builder prune`); returns their keys, sorted.
    Result<std::vector<std::string>> clear() const;

private:
    std::string m_dir;
};

/// sha256 hex of `parts` joined with NUL separators.
std::string step_key(const std::vector<std::string>& parts);

} // namespace wharf::engine::build
