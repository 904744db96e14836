#include "engine/port/nftables.h"

#include "engine/sys/shared_library.h"

#include <nftables/libnftables.h>

namespace wharf::engine {

namespace {

// libnftables is opened on first use (sys/shared_library.h), not linked: with its five
// dependencies (libnftnl, libxtables, libjansson, libgmp, libmnl) it cost about a millisecond
// at every exec, and only monitors of containers with published ports (and the repair of a
// dead one, and `network rm` of a bridge that served loopback clients) need it. A host
// without the library keeps the proxy alone, as one without nf_tables.
#define WHARF_NFT_FUNCTIONS(X)                                                                     \
    X(nft_ctx_new) X(nft_ctx_free) X(nft_ctx_buffer_output) X(nft_ctx_buffer_error)                \
    X(nft_ctx_get_output_buffer) X(nft_ctx_get_error_buffer) X(nft_run_cmd_from_buffer)

struct NftLibrary {
    WHARF_LIBRARY_TABLE(WHARF_NFT_FUNCTIONS)
};

const Result<const NftLibrary*>& nft_library()
{
    return sys::load_library<NftLibrary>("libnftables.so.1", [](const sys::SharedLibrary& lib, NftLibrary& t) -> Result<void> {
        WHARF_NFT_FUNCTIONS(WHARF_LIBRARY_RESOLVE)
        return ok();
    });
}

} // namespace

void Nftables::Free::operator()(nft_ctx* ctx) const { (*nft_library())->nft_ctx_free(ctx); }

Nftables::~Nftables() = default;

Result<Nftables> Nftables::create()
{
    const auto& lib = nft_library();
    if (!lib)
        return Error(lib.error()).context("nft");
    const NftLibrary& t = **lib;
    nft_ctx* ctx = t.nft_ctx_new(NFT_CTX_DEFAULT);
    if (!ctx)
        return Error(Errc::Sys, "nft: cannot create a libnftables context");
    Nftables n(ctx);
    if (t.nft_ctx_buffer_output(ctx) != 0 || t.nft_ctx_buffer_error(ctx) != 0)
        return Error(Errc::Sys, "nft: cannot buffer libnftables output");
    return n;
}

Result<std::string> Nftables::run(std::string_view script)
{
    const NftLibrary& t = **nft_library(); // loaded: this object exists
    std::string text(script);
    int rc = t.nft_run_cmd_from_buffer(m_ctx.get(), text.c_str());
    std::string out = t.nft_ctx_get_output_buffer(m_ctx.get());
    if (rc != 0) {
        std::string err = t.nft_ctx_get_error_buffer(m_ctx.get());
        // libnftables' message is "Error: …\n<the command>\n<carets>\n": the first line says it.
        auto nl = err.find('\n');
        std::string first = nl == std::string::npos ? err : err.substr(0, nl);
        if (nl != std::string::npos) {
            auto nl2 = err.find('\n', nl + 1);
            first += " (in: " + err.substr(nl + 1, nl2 == std::string::npos ? std::string::npos : nl2 - nl - 1) + ")";
        }
        return Error(first.find("Operation not permitted") != std::string::npos ? Errc::Permission : Errc::Sys,
                     "nft: " + (first.empty() ? std::string("command failed") : first));
    }
    return out;
}

} // namespace wharf::engine
