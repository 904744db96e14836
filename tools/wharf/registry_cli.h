#pragma once
/// Helpers shared by the registry verbs (pull, push, login, logout, search): Docker's
/// per-layer progress display and the registry argument of login/logout.

#include "engine/image/image_store.h"
#include "engine/image/manifest.h"
#include "tools/wharf/verb.h"

#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wharf::cli {

/// Docker's layer progress: on a terminal one line per layer, rewritten in place with a
/// bar while bytes move; otherwise each status change once as a plain line
/// ("3a5f0c1d2e4b: Pull complete") and no bars. Not thread-safe (callers serialise).
class LayerProgress {
public:
    LayerProgress(std::ostream& out, bool terminal) : m_out(out), m_terminal(terminal) {}
    void status(const std::string& id, const std::string& text);
    /// A moving bar (terminal only; dropped otherwise). Redraws at most every 100 ms per layer.
    void bytes(const std::string& id, const std::string& action, uint64_t current, uint64_t total);
    /// A line not tied to a layer ("Digest: …").
    void line(const std::string& text);

private:
    void draw(const std::string& id, const std::string& text);
    std::ostream& m_out;
    bool m_terminal;
    std::vector<std::string> m_order;
    std::map<std::string, std::string> m_last;
    std::map<std::string, int64_t> m_drawn_at;
};

/// Pulls `ref` into `store` printing Docker's lines to `out` ("latest: Pulling from app",
/// per-layer status, "Digest: …", "Status: …"; bars only on a terminal; nothing when quiet).
Result<void> pull_with_progress(engine::ImageStore& store, const engine::ImageReference& ref, std::ostream& out,
                                bool terminal, bool quiet, const std::optional<engine::Platform>& platform = {});

/// Docker's bar: "[=====>                                            ]  1.2MB/4.5MB".
std::string progress_bar(uint64_t current, uint64_t total);

/// The registry host of a login/logout argument: "http://127.0.0.1:5000/v2/" ->
/// "127.0.0.1:5000"; empty, "docker.io", "index.docker.io", "https://index.docker.io/v1/" ->
/// "docker.io".
std::string registry_host_of(const std::string& server);
/// The host a client connects to for that registry ("docker.io" -> "registry-1.docker.io").
std::string registry_api_host(const std::string& host);

} // namespace wharf::cli
