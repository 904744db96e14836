#include "engine/port/nftables.h"

#include <dlfcn.h>
#include <nftables/libnftables.h>

namespace wharf::engine {

namespace {

/// libnftables is opened on first use, not linked: it and its five dependencies (libnftnl,
/// libxtables, libjansson, libgmp, libmnl) cost about a millisecond at every exec of the
/// wharf binary, and only monitors of containers with published ports (and the repair of a
/// dead one) need it. A host without the library falls back to the proxy like one without
/// nf_tables. The header still types every symbol.
struct Api {
    decltype(&nft_ctx_new) ctx_new = nullptr;
    decltype(&nft_ctx_free) ctx_free = nullptr;
    decltype(&nft_ctx_buffer_output) buffer_output = nullptr;
    decltype(&nft_ctx_buffer_error) buffer_error = nullptr;
    decltype(&nft_ctx_get_output_buffer) output_buffer = nullptr;
    decltype(&nft_ctx_get_error_buffer) error_buffer = nullptr;
    decltype(&nft_run_cmd_from_buffer) run = nullptr;
    std::string error;
};

template <typename F>
bool bind(void* lib, const char* name, F& out, std::string& error)
{
    out = reinterpret_cast<F>(::dlsym(lib, name));
    if (!out)
        error = std::string("nft: libnftables.so.1 has no ") + name;
    return out != nullptr;
}

const Api& api()
{
    static const Api loaded = [] {
        Api a;
        void* lib = ::dlopen("libnftables.so.1", RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
            const char* e = ::dlerror();
            a.error = std::string("nft: ") + (e ? e : "cannot load libnftables.so.1");
            return a;
        }
        bool all = bind(lib, "nft_ctx_new", a.ctx_new, a.error) && bind(lib, "nft_ctx_free", a.ctx_free, a.error) &&
                   bind(lib, "nft_ctx_buffer_output", a.buffer_output, a.error) &&
                   bind(lib, "nft_ctx_buffer_error", a.buffer_error, a.error) &&
                   bind(lib, "nft_ctx_get_output_buffer", a.output_buffer, a.error) &&
                   bind(lib, "nft_ctx_get_error_buffer", a.error_buffer, a.error) &&
                   bind(lib, "nft_run_cmd_from_buffer", a.run, a.error);
        if (!all)
            a.ctx_new = nullptr;
        return a; // the library stays loaded for the process's life
    }();
    return loaded;
}

} // namespace

void Nftables::Free::operator()(nft_ctx* ctx) const { api().ctx_free(ctx); }

Nftables::~Nftables() = default;

Result<Nftables> Nftables::create()
{
    const Api& a = api();
    if (!a.ctx_new)
        return Error(Errc::NotFound, a.error);
    nft_ctx* ctx = a.ctx_new(NFT_CTX_DEFAULT);
    if (!ctx)
        return Error(Errc::Sys, "nft: cannot create a libnftables context");
    Nftables n(ctx);
    if (a.buffer_output(ctx) != 0 || a.buffer_error(ctx) != 0)
        return Error(Errc::Sys, "nft: cannot buffer libnftables output");
    return n;
}

Result<std::string> Nftables::run(std::string_view script)
{
    const Api& a = api();
    std::string text(script);
    int rc = a.run(m_ctx.get(), text.c_str());
    std::string out = a.output_buffer(m_ctx.get());
    if (rc != 0) {
        std::string err = a.error_buffer(m_ctx.get());
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
