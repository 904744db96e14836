#include "engine/image/manifest.h"

#include <nlohmann/json.hpp>
#include <sys/utsname.h>

namespace wharf::engine {

using nlohmann::json;

namespace media {
bool is_index(std::string_view t) { return t == kOciIndex || t == kDockerList; }
bool is_manifest(std::string_view t) { return t == kOciManifest || t == kDockerManifest; }
bool is_layer(std::string_view t)
{
    return t.starts_with("application/vnd.oci.image.layer.") || t.starts_with("application/vnd.docker.image.rootfs.");
}
} // namespace media

Platform normalize_platform(Platform p)
{
    if (p.architecture == "x86_64" || p.architecture == "x86-64")
        p.architecture = "amd64";
    if (p.architecture == "aarch64")
        p.architecture = "arm64";
    if (p.architecture == "armhf") {
        p.architecture = "arm";
        p.variant = "v7";
    }
    if (p.architecture == "armel") {
        p.architecture = "arm";
        p.variant = "v6";
    }
    if (p.architecture == "amd64" && p.variant == "v1")
        p.variant.clear();
    if (p.architecture == "arm64" && (p.variant == "8" || p.variant == "v8" || p.variant == "v8.0"))
        p.variant.clear();
    if (p.architecture == "arm" && p.variant.empty())
        p.variant = "v7";
    if (p.architecture == "arm" && p.variant.size() == 1)
        p.variant = "v" + p.variant;
    return p;
}

Platform host_platform()
{
    utsname u{};
    uname(&u);
    Platform p;
    p.architecture = u.machine;
    return normalize_platform(p);
}

Result<Platform> parse_platform(std::string_view text)
{
    Platform p;
    std::vector<std::string> parts;
    size_t start = 0;
    for (;;) {
        size_t slash = text.find('/', start);
        parts.emplace_back(text.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
        if (slash == std::string_view::npos)
            break;
        start = slash + 1;
    }
    if (parts.size() < 2 || parts.size() > 3 || parts[0].empty() || parts[1].empty())
        return Error(Errc::Invalid, "invalid platform \"" + std::string(text) + "\": expected os/arch[/variant]");
    p.os = parts[0];
    p.architecture = parts[1];
    if (parts.size() == 3)
        p.variant = parts[2];
    return normalize_platform(p);
}

namespace {

Error bad(const std::string& what, const std::string& why) { return Error(Errc::Invalid, "invalid " + what + ": " + why); }

Result<Descriptor> parse_descriptor(const json& j, const std::string& what)
{
    if (!j.is_object())
        return bad(what, "descriptor is not an object");
    Descriptor d;
    if (auto it = j.find("mediaType"); it != j.end() && it->is_string())
        d.media_type = it->get<std::string>();
    auto dg = j.find("digest");
    if (dg == j.end() || !dg->is_string())
        return bad(what, "descriptor without digest");
    d.digest = TRY_CTX(Digest::parse(dg->get<std::string>()), "invalid " + what);
    auto sz = j.find("size");
    if (sz == j.end() || !sz->is_number_integer() || sz->get<int64_t>() < 0)
        return bad(what, "descriptor " + d.digest.str() + " without a valid size");
    d.size = sz->get<int64_t>();
    if (auto p = j.find("platform"); p != j.end() && p->is_object()) {
        Platform pl;
        pl.os = p->value("os", "");
        pl.architecture = p->value("architecture", "");
        pl.variant = p->value("variant", "");
        d.platform = pl;
    }
    if (auto a = j.find("annotations"); a != j.end() && a->is_object())
        for (const auto& [k, v] : a->items())
            if (v.is_string())
                d.annotations[k] = v.get<std::string>();
    if (auto u = j.find("urls"); u != j.end() && u->is_array())
        for (const auto& v : *u)
            if (v.is_string())
                d.urls.push_back(v.get<std::string>());
    return d;
}

Result<json> parse_json(std::string_view text, const std::string& what)
{
    try {
        json j = json::parse(text);
        if (!j.is_object())
            return bad(what, "not a JSON object");
        return j;
    } catch (const json::exception& e) {
        return bad(what, e.what());
    }
}

Result<std::string> check_type(const json& j, std::string_view content_type, const std::string& what)
{
    std::string body_type = j.contains("mediaType") && j["mediaType"].is_string() ? j["mediaType"].get<std::string>() : "";
    std::string ct(content_type);
    if (auto semi = ct.find(';'); semi != std::string::npos)
        ct = ct.substr(0, semi);
    if (ct == "application/json" || ct == "application/octet-stream" || ct == "text/plain")
        ct.clear();
    if (!body_type.empty() && !ct.empty() && body_type != ct)
        return bad(what, "mediaType \"" + body_type + "\" does not match Content-Type \"" + ct + "\"");
    std::string type = body_type.empty() ? ct : body_type;
    if (type == media::kDockerSchema1 || type == media::kDockerSchema1Plain ||
        (j.contains("schemaVersion") && j["schemaVersion"] == 1))
        return Error(Errc::Invalid, "unsupported manifest format: Docker schema 1 (" + type +
                                        ") is deprecated; push the image again with a current client");
    return type;
}

json descriptor_json(const Descriptor& d)
{
    json j = json::object();
    j["mediaType"] = d.media_type;
    j["digest"] = d.digest.str();
    j["size"] = d.size;
    if (d.platform) {
        json p = {{"os", d.platform->os}, {"architecture", d.platform->architecture}};
        if (!d.platform->variant.empty())
            p["variant"] = d.platform->variant;
        j["platform"] = p;
    }
    if (!d.annotations.empty())
        j["annotations"] = d.annotations;
    if (!d.urls.empty())
        j["urls"] = d.urls;
    return j;
}

} // namespace

Result<std::string> sniff_media_type(std::string_view text)
{
    auto j = TRY(parse_json(text, "manifest"));
    if (j.contains("mediaType") && j["mediaType"].is_string())
        return j["mediaType"].get<std::string>();
    if (j.contains("manifests"))
        return std::string(media::kOciIndex);
    if (j.contains("config") || j.contains("layers"))
        return std::string(media::kOciManifest);
    return std::string();
}

Result<Manifest> parse_manifest(std::string_view text, std::string_view content_type)
{
    auto j = TRY(parse_json(text, "manifest"));
    Manifest m;
    m.media_type = TRY(check_type(j, content_type, "manifest"));
    if (m.media_type.empty())
        m.media_type = media::kOciManifest;
    if (!media::is_manifest(m.media_type))
        return bad("manifest", "unexpected media type \"" + m.media_type + "\"");
    if (!j.contains("config"))
        return bad("manifest", "missing config descriptor");
    m.config = TRY(parse_descriptor(j["config"], "manifest config"));
    if (auto l = j.find("layers"); l != j.end()) {
        if (!l->is_array())
            return bad("manifest", "layers is not an array");
        for (const auto& d : *l)
            m.layers.push_back(TRY(parse_descriptor(d, "manifest layer")));
    }
    if (auto a = j.find("annotations"); a != j.end() && a->is_object())
        for (const auto& [k, v] : a->items())
            if (v.is_string())
                m.annotations[k] = v.get<std::string>();
    return m;
}

Result<Index> parse_index(std::string_view text, std::string_view content_type)
{
    auto j = TRY(parse_json(text, "image index"));
    Index idx;
    idx.media_type = TRY(check_type(j, content_type, "image index"));
    if (idx.media_type.empty())
        idx.media_type = media::kOciIndex;
    auto ms = j.find("manifests");
    if (ms == j.end() || !ms->is_array())
        return bad("image index", "missing manifests array");
    for (const auto& d : *ms)
        idx.manifests.push_back(TRY(parse_descriptor(d, "image index entry")));
    if (auto a = j.find("annotations"); a != j.end() && a->is_object())
        for (const auto& [k, v] : a->items())
            if (v.is_string())
                idx.annotations[k] = v.get<std::string>();
    return idx;
}

Result<Descriptor> select_platform(const Index& index, const Platform& want_raw)
{
    Platform want = normalize_platform(want_raw);
    // Candidates in preference order: exact, then containerd's compatible fallbacks.
    std::vector<Platform> accept{want};
    if (want.architecture == "amd64") {
        static const char* levels[] = {"v4", "v3", "v2"};
        bool below = want.variant.empty();
        for (auto* v : levels) {
            if (!below && want.variant == v) {
                below = true;
                continue;
            }
            if (below)
                accept.push_back({want.os, "amd64", v});
        }
        if (!want.variant.empty())
            accept.push_back({want.os, "amd64", ""});
        accept.push_back({want.os, "386", ""});
    } else if (want.architecture == "arm") {
        if (want.variant == "v8" || want.variant == "v7")
            accept.push_back({want.os, "arm", "v6"});
        if (want.variant != "v5")
            accept.push_back({want.os, "arm", "v5"});
    }
    std::string offered;
    for (const auto& cand : accept) {
        for (const auto& d : index.manifests) {
            if (!media::is_manifest(d.media_type) && !media::is_index(d.media_type) && !d.media_type.empty())
                continue;
            if (auto t = d.annotations.find("vnd.docker.reference.type"); t != d.annotations.end())
                continue; // attestation manifests
            if (!d.platform)
                continue;
            if (normalize_platform(*d.platform) == cand)
                return d;
        }
    }
    for (const auto& d : index.manifests)
        if (d.platform && d.platform->os != "unknown")
            offered += (offered.empty() ? "" : ", ") + normalize_platform(*d.platform).str();
    return Error(Errc::NotFound, "no matching manifest for " + want.str() + " in the manifest list entries" +
                                     (offered.empty() ? std::string() : " (offered: " + offered + ")"));
}

std::string serialize(const Manifest& m)
{
    json j = json::object();
    j["schemaVersion"] = 2;
    j["mediaType"] = m.media_type.empty() ? std::string(media::kOciManifest) : m.media_type;
    j["config"] = descriptor_json(m.config);
    json layers = json::array();
    for (const auto& l : m.layers)
        layers.push_back(descriptor_json(l));
    j["layers"] = layers;
    if (!m.annotations.empty())
        j["annotations"] = m.annotations;
    return j.dump();
}

std::string serialize(const Index& idx)
{
    json j = json::object();
    j["schemaVersion"] = 2;
    j["mediaType"] = idx.media_type.empty() ? std::string(media::kOciIndex) : idx.media_type;
    json ms = json::array();
    for (const auto& d : idx.manifests)
        ms.push_back(descriptor_json(d));
    j["manifests"] = ms;
    if (!idx.annotations.empty())
        j["annotations"] = idx.annotations;
    return j.dump();
}

} // namespace wharf::engine
