#pragma once
/// Nftables: one libnftables context (in-process netfilter: rule text in, netlink batch out;
/// no `nft` binary). The library is opened on first create() (sys/shared_library.h); a host
/// without it gets NotFound `nft: dlopen libnftables.so.1: …`. run() applies a script of nft
/// commands as one atomic transaction and returns what it printed (for `list` commands); a
/// failure carries libnftables' own error text, e.g.
/// `nft: Error: Could not process rule: Operation not permitted (in: add table ip wharf)`.
/// Freed on destruction. Not thread-safe; one per thread.

#include "engine/base/result.h"

#include <memory>
#include <string>
#include <string_view>

struct nft_ctx;

namespace wharf::engine {

class Nftables {
public:
    static Result<Nftables> create();
    Nftables(Nftables&&) noexcept = default;
    Nftables& operator=(Nftables&&) noexcept = default;
    ~Nftables();

    Result<std::string> run(std::string_view script);

private:
    explicit Nftables(nft_ctx* ctx) : m_ctx(ctx) {}
    struct Free {
        void operator()(nft_ctx* ctx) const;
    };
    std::unique_ptr<nft_ctx, Free> m_ctx;
};

} // namespace wharf::engine
