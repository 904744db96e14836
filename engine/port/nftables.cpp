#include "engine/port/nftables.h"

#include <nftables/libnftables.h>

namespace wharf::engine {

void Nftables::Free::operator()(nft_ctx* ctx) const { nft_ctx_free(ctx); }

Nftables::~Nftables() = default;

Result<Nftables> Nftables::create()
{
    nft_ctx* ctx = nft_ctx_new(NFT_CTX_DEFAULT);
    if (!ctx)
        return Error(Errc::Sys, "nft: cannot create a libnftables context");
    Nftables n(ctx);
    if (nft_ctx_buffer_output(ctx) != 0 || nft_ctx_buffer_error(ctx) != 0)
        return Error(Errc::Sys, "nft: cannot buffer libnftables output");
    return n;
}

Result<std::string> Nftables::run(std::string_view script)
{
    std::string text(script);
    int rc = nft_run_cmd_from_buffer(m_ctx.get(), text.c_str());
    std::string out = nft_ctx_get_output_buffer(m_ctx.get());
    if (rc != 0) {
        std::string err = nft_ctx_get_error_buffer(m_ctx.get());
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
