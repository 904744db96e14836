#include "tools/wharf/image_rows.h"

#include "engine/api/image_config.h"
#include "engine/api/image_reference.h"
#include "engine/container/clock.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fnmatch.h>
#include <map>

namespace wharf::cli {

using Json = nlohmann::ordered_json;
using engine::Image;
using engine::ImageReference;

namespace {

int64_t created_of(const Image& img)
{
    return engine::parse_rfc3339(std::string_view(img.document.created)).value_or(0);
}

std::string trunc_id(const std::string& id, bool no_trunc)
{
    if (no_trunc)
        return id;
    auto colon = id.find(':');
    std::string hex = colon == std::string::npos ? id : id.substr(colon + 1);
    return hex.substr(0, 12);
}

std::pair<std::string, std::string> split_filter(const std::string& f)
{
    auto eq = f.find('=');
    if (eq == std::string::npos)
        return {f, ""};
    return {f.substr(0, eq), f.substr(eq + 1)};
}

// distribution/reference FamiliarMatch: the pattern against "name:tag", then against "name".
bool familiar_match(const std::string& pattern, const ImageReference& ref)
{
    std::string full = ref.familiar(), name = ref.familiar_name();
    return ::fnmatch(pattern.c_str(), full.c_str(), FNM_PATHNAME) == 0
        || ::fnmatch(pattern.c_str(), name.c_str(), FNM_PATHNAME) == 0;
}

bool label_match(const Image& img, const std::string& want)
{
    auto [k, v] = split_filter(want);
    auto it = img.config.labels.find(k);
    if (it == img.config.labels.end())
        return false;
    return want.find('=') == std::string::npos || it->second == v;
}

Result<const Image*> find_image(
    const std::vector<Image>& images, const std::string& key, const std::string& what)
{
    for (const auto& img : images) {
        if (img.id.str() == what || img.id.hex() == what
            || (what.size() >= 4 && img.id.hex().rfind(what, 0) == 0))
            return &img;
        auto ref = ImageReference::parse(what);
        if (ref && std::find(img.repo_tags.begin(), img.repo_tags.end(), ref->str()) != img.repo_tags.end())
            return &img;
    }
    return Error(Errc::NotFound, "No such image: " + what)
        .context("invalid filter '" + key + "=" + what + "'");
}

Json row(const Image& img, const ImageListOptions& opts, int64_t now, const std::string& repo,
    const std::string& tag, const std::string& digest)
{
    int64_t created = created_of(img);
    std::string size = human_size(static_cast<double>(img.size), 3);
    Json j;
    j["Containers"] = "N/A";
    j["CreatedAt"] = unix_time_text(created);
    j["CreatedSince"] = time_ago(created, now);
    j["Digest"] = digest;
    j["ID"] = trunc_id(img.id.str(), opts.no_trunc);
    j["Repository"] = repo;
    j["SharedSize"] = "N/A";
    j["Size"] = size;
    j["Tag"] = tag;
    j["UniqueSize"] = "N/A";
    j["VirtualSize"] = human_size(static_cast<double>(img.size), 4);
    return j;
}

} // namespace

Result<void> check_image_filters(const std::vector<std::string>& filters)
{
    for (const auto& f : filters) {
        auto [k, v] = split_filter(f);
        if (f.find('=') == std::string::npos)
            return Error(Errc::Invalid, "bad format of filter (expected name=value)");
        if (k == "dangling") {
            if (v != "true" && v != "false" && v != "1" && v != "0")
                return Error(Errc::Invalid, "invalid filter 'dangling=" + v + "'");
        } else if (k != "reference" && k != "label" && k != "before" && k != "since") {
            return Error(Errc::Invalid, "invalid filter '" + k + "'");
        }
    }
    return ok();
}

Result<std::vector<Json>> image_rows(
    const std::vector<Image>& images, const ImageListOptions& opts, int64_t now)
{
    TRY(check_image_filters(opts.filters));
    std::optional<bool> dangling;
    std::vector<std::string> patterns, labels;
    std::optional<int64_t> before, since;
    for (const auto& f : opts.filters) {
        auto [k, v] = split_filter(f);
        if (k == "dangling")
            dangling = v == "true" || v == "1";
        else if (k == "reference")
            patterns.push_back(v);
        else if (k == "label")
            labels.push_back(v);
        else if (k == "before")
            before = created_of(*TRY(find_image(images, k, v)));
        else if (k == "since")
            since = created_of(*TRY(find_image(images, k, v)));
    }
    if (!opts.reference.empty())
        patterns.push_back(opts.reference);

    std::vector<Json> rows;
    for (const auto& img : images) {
        bool is_dangling = img.repo_tags.empty();
        if (dangling && *dangling != is_dangling)
            continue;
        if (!std::all_of(
                labels.begin(), labels.end(), [&](const std::string& l) { return label_match(img, l); }))
            continue;
        int64_t created = created_of(img);
        if (before && created >= *before)
            continue;
        if (since && created <= *since)
            continue;
        // repository -> tags and digests (familiar names), sorted for a stable output.
        std::map<std::string, std::vector<std::string>> tags, digests;
        bool any_ref_matched = false;
        for (const auto& t : img.repo_tags) {
            auto ref = ImageReference::parse(t);
            if (!ref)
                continue;
            if (!patterns.empty()
                && std::none_of(patterns.begin(), patterns.end(),
                    [&](const std::string& p) { return familiar_match(p, *ref); }))
                continue;
            any_ref_matched = true;
            tags[ref->familiar_name()].push_back(ref->tag);
        }
        for (const auto& d : img.repo_digests) {
            auto ref = ImageReference::parse(d);
            if (!ref || !ref->digest)
                continue;
            digests[ref->familiar_name()].push_back(ref->digest->str());
        }
        if (!patterns.empty() && !any_ref_matched)
            continue;
        if (is_dangling && img.repo_digests.empty()) {
            rows.push_back(row(img, opts, now, "<none>", "<none>", "<none>"));
            continue;
        }
        for (auto& [repo, ts] : tags) {
            std::sort(ts.begin(), ts.end());
            auto ds = digests[repo];
            digests.erase(repo);
            for (const auto& t : ts) {
                if (!opts.digests || ds.empty())
                    rows.push_back(row(img, opts, now, repo, t, "<none>"));
                else
                    for (const auto& d : ds)
                        rows.push_back(row(img, opts, now, repo, t, d));
            }
        }
        if (patterns.empty())
            for (const auto& [repo, ds] : digests) {
                if (opts.digests)
                    for (const auto& d : ds)
                        rows.push_back(row(img, opts, now, repo, "<none>", d));
                else
                    rows.push_back(row(img, opts, now, repo, "<none>", ""));
            }
    }
    return rows;
}

namespace {
// Docker's formatter.Ellipsis: at most `max` characters, the last one "…".
std::string ellipsis(const std::string& s, size_t max)
{
    size_t count = 0, cut = std::string::npos;
    for (size_t i = 0; i < s.size(); ++i)
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (count == max - 1)
                cut = i;
            ++count;
        }
    if (count <= max)
        return s;
    return s.substr(0, cut) + "…";
}

std::string rfc3339(int64_t t)
{
    time_t secs = static_cast<time_t>(t);
    tm utc {};
    gmtime_r(&secs, &utc);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buf;
}
} // namespace

std::vector<Json> history_rows(const Image& img, const HistoryOptions& opts, int64_t now)
{
    struct Item {
        int64_t created = 0;
        std::string created_by, comment;
        uint64_t size = 0;
    };
    std::vector<Item> items;
    size_t layer = 0;
    for (const auto& h : img.document.history) {
        Item it {engine::parse_rfc3339(std::string_view(h.created)).value_or(0), h.created_by, h.comment, 0};
        if (!h.empty_layer && layer < img.layers.size())
            it.size = img.layers[layer++].size;
        items.push_back(std::move(it));
    }
    if (img.document.history.empty())
        for (const auto& l : img.layers)
            items.push_back({created_of(img), "", "", l.size});
    std::vector<Json> rows;
    for (size_t i = items.size(); i-- > 0;) {
        const auto& it = items[i];
        std::string id = i + 1 == items.size() ? trunc_id(img.id.str(), opts.no_trunc) : "<missing>";
        std::string by = it.created_by;
        std::replace(by.begin(), by.end(), '\t', ' ');
        Json j;
        j["Comment"] = it.comment;
        j["CreatedAt"] = it.created ? rfc3339(it.created) : "";
        j["CreatedBy"] = opts.no_trunc ? by : ellipsis(by, 45);
        j["CreatedSince"] = opts.human ? time_ago(it.created, now) : j["CreatedAt"].get<std::string>();
        j["ID"] = id;
        j["Size"] = opts.human ? human_size(static_cast<double>(it.size), 3) : std::to_string(it.size);
        rows.push_back(std::move(j));
    }
    return rows;
}

} // namespace wharf::cli
