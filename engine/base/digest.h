#pragma once
/// Digest: a content address "algorithm:hex" (OCI descriptor digest). Only sha256 is
/// produced; parse() accepts any well-formed algorithm but verifying needs sha256.
///
/// Sha256Hasher hashes a stream in pieces (OpenSSL EVP); sha256() hashes bytes at once.
/// Values only; a hasher is thread-compatible (one thread at a time).

#include "engine/base/result.h"

#include <memory>
#include <string>
#include <string_view>

namespace wharf {

class Digest {
public:
    Digest() = default;
    /// Parses "sha256:<64 lowercase hex>" (or another algorithm with >= 32 hex chars).
    /// Fails with Errc::Invalid: `invalid digest "x": ...`.
    static Result<Digest> parse(std::string_view text);
    /// From a bare 64-hex sha256 string.
    static Digest sha256_hex(std::string hex) { return Digest("sha256", std::move(hex)); }

    const std::string& algorithm() const { return m_algorithm; }
    const std::string& hex() const { return m_hex; }
    /// "sha256:abc…"; empty when default-constructed.
    std::string str() const { return m_hex.empty() ? std::string() : m_algorithm + ":" + m_hex; }
    /// The first 12 hex characters, as Docker shows IDs.
    std::string short_hex() const { return m_hex.substr(0, 12); }
    bool empty() const { return m_hex.empty(); }

    friend bool operator==(const Digest&, const Digest&) = default;
    friend auto operator<=>(const Digest&, const Digest&) = default;

private:
    Digest(std::string algorithm, std::string hex) : m_algorithm(std::move(algorithm)), m_hex(std::move(hex)) {}
    std::string m_algorithm;
    std::string m_hex;
};

/// Streaming sha256. update() any number of times, then finish() once.
class Sha256Hasher {
public:
    Sha256Hasher();
    ~Sha256Hasher();
    Sha256Hasher(Sha256Hasher&&) noexcept;
    Sha256Hasher& operator=(Sha256Hasher&&) noexcept;
    void update(const void* data, size_t size);
    void update(std::string_view data) { update(data.data(), data.size()); }
    Digest finish();
    /// Bytes fed so far.
    uint64_t size() const { return m_size; }

private:
    struct Ctx;
    std::unique_ptr<Ctx> m_ctx;
    uint64_t m_size = 0;
};

Digest sha256(std::string_view data);

} // namespace wharf
