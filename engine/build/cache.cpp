// The build cache (see cache.h).
#include "engine/build/cache.h"

#include "engine/sys/file.h"

#include <algorithm>
#include <dirent.h>
#include <memory>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

namespace wharf::engine::build {

std::string step_key(const std::vector<std::string>& parts)
{
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
    for (const auto& p : parts) {
        EVP_DigestUpdate(ctx.get(), p.data(), p.size());
        EVP_DigestUpdate(ctx.get(), "\0", 1);
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx.get(), md, &n);
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < n; ++i) {
        out += digits[md[i] >> 4];
        out += digits[md[i] & 15];
    }
    return out;
}

Result<std::optional<CacheRecord>> BuildCache::get(const std::string& key) const
{
    std::string path = m_dir + "/" + key + ".json";
    if (!sys::exists(path))
        return std::optional<CacheRecord>();
    auto text = TRY(sys::read_file(path));
    try {
        auto j = nlohmann::json::parse(text);
        CacheRecord r;
        r.created = j.value("created", "");
        if (j.contains("layer") && j["layer"].is_object()) {
            auto& l = j["layer"];
            r.layer = LayerRef {l.value("diff_id", ""), l.value("dir", ""), l.value("blob", "")};
        }
        return std::optional<CacheRecord>(std::move(r));
    } catch (const nlohmann::json::exception&) {
        return std::optional<CacheRecord>(); // a torn or foreign record is a miss, not an error
    }
}

Result<void> BuildCache::put(const std::string& key, const CacheRecord& record) const
{
    TRY(sys::make_dirs(m_dir));
    nlohmann::json j;
    j["created"] = record.created;
    if (record.layer)
        j["layer"]
            = {{"diff_id", record.layer->diff_id}, {"dir", record.layer->dir}, {"blob", record.layer->blob}};
    else
        j["layer"] = nullptr;
    return sys::write_file_atomic(m_dir + "/" + key + ".json", j.dump());
}

Result<std::vector<std::string>> BuildCache::clear() const
{
    std::vector<std::string> keys;
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(m_dir.c_str()), ::closedir);
    if (!d)
        return keys; // no cache yet
    while (dirent* e = ::readdir(d.get())) {
        std::string name = e->d_name;
        if (name.size() > 5 && name.ends_with(".json"))
            keys.push_back(name.substr(0, name.size() - 5));
    }
    std::sort(keys.begin(), keys.end());
    TRY(sys::remove_all(m_dir));
    return keys;
}

} // namespace wharf::engine::build
