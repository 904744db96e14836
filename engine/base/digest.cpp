#include "engine/base/digest.h"

#include <openssl/evp.h>

namespace wharf {

namespace {
bool is_lower_hex(std::string_view s)
{
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return !s.empty();
}

bool is_algorithm(std::string_view s)
{
    // algorithm-component [algorithm-separator algorithm-component]*, separators + . _ -
    if (s.empty())
        return false;
    bool prev_sep = true;
    for (char c : s) {
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        bool sep = c == '+' || c == '.' || c == '_' || c == '-';
        if (!alnum && !sep)
            return false;
        if (sep && prev_sep)
            return false;
        prev_sep = sep;
    }
    return !prev_sep;
}
} // namespace

Result<Digest> Digest::parse(std::string_view text)
{
    auto bad = [&](std::string why) {
        return Error(Errc::Invalid, "invalid digest \"" + std::string(text) + "\": " + why);
    };
    auto colon = text.find(':');
    if (colon == std::string_view::npos)
        return bad("missing algorithm prefix (expected sha256:<hex>)");
    std::string_view alg = text.substr(0, colon);
    std::string_view hex = text.substr(colon + 1);
    if (!is_algorithm(alg))
        return bad("malformed algorithm");
    if (!is_lower_hex(hex))
        return bad("encoded part must be lowercase hex");
    if (alg == "sha256" && hex.size() != 64)
        return bad("sha256 needs 64 hex characters, got " + std::to_string(hex.size()));
    if (hex.size() < 32)
        return bad("encoded part too short");
    return Digest(std::string(alg), std::string(hex));
}

struct Sha256Hasher::Ctx {
    EVP_MD_CTX* md = nullptr;
    ~Ctx() { EVP_MD_CTX_free(md); }
};

Sha256Hasher::Sha256Hasher() : m_ctx(std::make_unique<Ctx>())
{
    m_ctx->md = EVP_MD_CTX_new();
    EVP_DigestInit_ex(m_ctx->md, EVP_sha256(), nullptr);
}

Sha256Hasher::~Sha256Hasher() = default;
Sha256Hasher::Sha256Hasher(Sha256Hasher&&) noexcept = default;
Sha256Hasher& Sha256Hasher::operator=(Sha256Hasher&&) noexcept = default;

void Sha256Hasher::update(const void* data, size_t size)
{
    EVP_DigestUpdate(m_ctx->md, data, size);
    m_size += size;
}

Digest Sha256Hasher::finish()
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(m_ctx->md, out, &len);
    static const char* hexd = "0123456789abcdef";
    std::string hex;
    hex.reserve(len * 2);
    for (unsigned i = 0; i < len; ++i) {
        hex.push_back(hexd[out[i] >> 4]);
        hex.push_back(hexd[out[i] & 15]);
    }
    return Digest::sha256_hex(std::move(hex));
}

Digest sha256(std::string_view data)
{
    Sha256Hasher h;
    h.update(data);
    return h.finish();
}

} // namespace wharf
