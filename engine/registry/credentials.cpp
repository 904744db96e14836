#include "engine/registry/credentials.h"

#include "engine/sys/file.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <pwd.h>
#include <unistd.h>

namespace wharf::engine::registry {

using nlohmann::json;

namespace {

constexpr const char* kHubKey = "https://index.docker.io/v1/";

bool is_hub(const std::string& host)
{
    return host == "docker.io" || host == "index.docker.io" || host == "registry-1.docker.io" || host == kHubKey;
}

/// Docker's ConvertToHostname: strips a scheme and a path.
std::string key_host(std::string key)
{
    if (key.starts_with("http://"))
        key = key.substr(7);
    else if (key.starts_with("https://"))
        key = key.substr(8);
    if (auto slash = key.find('/'); slash != std::string::npos)
        key = key.substr(0, slash);
    return key;
}

const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

} // namespace

std::string base64_encode(std::string_view in)
{
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (i + 1 == in.size()) {
        uint32_t v = uint8_t(in[i]) << 16;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += "==";
    } else if (i + 2 == in.size()) {
        uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

Result<std::string> base64_decode(std::string_view in)
{
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    size_t pad = 0;
    for (char c : in) {
        if (c == '=') {
            ++pad;
            continue;
        }
        if (pad)
            return Error(Errc::Invalid, "invalid base64: data after padding");
        const char* p = std::strchr(kAlphabet, c);
        if (!p || c == '\0')
            return Error(Errc::Invalid, std::string("invalid base64 character '") + c + "'");
        acc = (acc << 6) | static_cast<uint32_t>(p - kAlphabet);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xff);
        }
    }
    if (pad > 2)
        return Error(Errc::Invalid, "invalid base64: too much padding");
    return out;
}

std::string docker_config_path_from_env()
{
    if (const char* d = std::getenv("DOCKER_CONFIG"); d && *d)
        return std::string(d) + "/config.json";
    std::string home;
    if (const char* h = std::getenv("HOME"); h && *h)
        home = h;
    else if (auto* pw = ::getpwuid(::getuid()))
        home = pw->pw_dir;
    return home + "/.docker/config.json";
}

std::string credential_key(const std::string& registry_host) { return is_hub(registry_host) ? kHubKey : registry_host; }

Result<CredentialStore> CredentialStore::load(const std::string& path)
{
    if (!sys::exists(path))
        return CredentialStore(path, "{}");
    auto text = TRY(sys::read_file(path));
    try {
        auto j = json::parse(text.empty() ? std::string("{}") : text);
        if (!j.is_object())
            return Error(Errc::Invalid, path + ": not a JSON object");
        return CredentialStore(path, j.dump());
    } catch (const json::exception& e) {
        return Error(Errc::Invalid, path + ": " + e.what());
    }
}

std::optional<Credentials> CredentialStore::get(const std::string& registry_host) const
{
    json j = json::parse(m_text);
    if (!j.contains("auths") || !j["auths"].is_object())
        return std::nullopt;
    std::string want = credential_key(registry_host);
    const json* found = nullptr;
    for (auto& [key, val] : j["auths"].items()) {
        if (key == want) {
            found = &val;
            break;
        }
        std::string kh = key_host(key);
        if (!found && (kh == registry_host || (is_hub(registry_host) && is_hub(kh))))
            found = &val;
    }
    if (!found || !found->is_object())
        return std::nullopt;
    Credentials c;
    c.identity_token = found->value("identitytoken", "");
    if (auto a = found->value("auth", ""); !a.empty()) {
        auto decoded = base64_decode(a);
        if (!decoded)
            return std::nullopt;
        auto colon = decoded->find(':');
        if (colon == std::string::npos)
            return std::nullopt;
        c.username = decoded->substr(0, colon);
        c.password = decoded->substr(colon + 1);
    } else {
        c.username = found->value("username", "");
        c.password = found->value("password", "");
    }
    if (c.username.empty() && c.identity_token.empty())
        return std::nullopt;
    return c;
}

std::string CredentialStore::helper_for(const std::string& registry_host) const
{
    json j = json::parse(m_text);
    if (auto h = j.find("credHelpers"); h != j.end() && h->is_object()) {
        // Docker looks the helper up by host name; "https://index.docker.io/v1/" is also
        // accepted for Docker Hub, as some configs are written that way.
        for (const std::string& key : {registry_host, credential_key(registry_host), key_host(credential_key(registry_host))})
            if (auto it = h->find(key); it != h->end() && it->is_string() && !it->get<std::string>().empty())
                return it->get<std::string>();
    }
    if (auto s = j.find("credsStore"); s != j.end() && s->is_string())
        return s->get<std::string>();
    return "";
}

void CredentialStore::set(const std::string& registry_host, const Credentials& c)
{
    json j = json::parse(m_text);
    if (!j.contains("auths") || !j["auths"].is_object())
        j["auths"] = json::object();
    json entry = json::object();
    entry["auth"] = base64_encode(c.username + ":" + c.password);
    if (!c.identity_token.empty())
        entry["identitytoken"] = c.identity_token;
    j["auths"][credential_key(registry_host)] = entry;
    m_text = j.dump();
}

void CredentialStore::set_empty(const std::string& registry_host)
{
    json j = json::parse(m_text);
    if (!j.contains("auths") || !j["auths"].is_object())
        j["auths"] = json::object();
    j["auths"][credential_key(registry_host)] = json::object();
    m_text = j.dump();
}

bool CredentialStore::erase(const std::string& registry_host)
{
    json j = json::parse(m_text);
    if (!j.contains("auths") || !j["auths"].is_object())
        return false;
    std::vector<std::string> doomed;
    for (auto& [key, val] : j["auths"].items()) {
        std::string kh = key_host(key);
        if (key == credential_key(registry_host) || kh == registry_host || (is_hub(registry_host) && is_hub(kh)))
            doomed.push_back(key);
    }
    for (auto& k : doomed)
        j["auths"].erase(k);
    m_text = j.dump();
    return !doomed.empty();
}

Result<void> CredentialStore::save() const
{
    if (auto slash = m_path.rfind('/'); slash != std::string::npos && slash > 0)
        TRY(sys::make_dirs(m_path.substr(0, slash), 0700));
    return sys::write_file_atomic(m_path, json::parse(m_text).dump(1, '\t') + "\n", 0600);
}

} // namespace wharf::engine::registry
