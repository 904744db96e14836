// SHA-256 hashing (Sha256Hasher, sha256() in digest.h) on OpenSSL's EVP interface; apart
// from digest.cpp so that code which only parses digests does not map libcrypto.
#include "engine/base/digest.h"

#include <openssl/evp.h>

namespace wharf {

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
