// ImageStore's removal side: rmi, prune and the mark-and-sweep gc of blobs and layers.
// Reference counting is computed, not stored: an object lives while an image record (or a
// live lease) names it, so a crash can never leave a count wrong.
#include "engine/image/image_store.h"

#include "engine/sys/file.h"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <nlohmann/json.hpp>
#include <set>
#include <signal.h>
#include <sstream>
#include <unistd.h>

namespace wharf::engine {

using nlohmann::json;

namespace {

std::vector<std::string> entries(const std::string& path)
{
    std::vector<std::string> out;
    DIR* dir = ::opendir(path.c_str());
    if (!dir)
        return out;
    while (auto* e = ::readdir(dir)) {
        std::string name = e->d_name;
        if (name != "." && name != "..")
            out.push_back(name);
    }
    ::closedir(dir);
    return out;
}

bool pid_alive(long pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

std::string familiar(const std::string& full)
{
    auto r = ImageReference::parse(full);
    return r ? r->familiar() : full;
}

} // namespace

Result<std::vector<std::string>> ImageStore::remove(const std::string& ref_or_id, const RemoveOptions& opts)
{
    Image img = TRY(resolve(ref_or_id));
    std::vector<std::string> lines;
    auto holders_ = holders(img.id);
    std::optional<ImageReference> by_tag;
    if (!is_image_id(ref_or_id)) {
        auto ref = ImageReference::parse(ref_or_id);
        if (ref && !ref->digest &&
            std::find(img.repo_tags.begin(), img.repo_tags.end(), ref->str()) != img.repo_tags.end())
            by_tag = *ref;
    }
    if (by_tag) {
        bool last = img.repo_tags.size() == 1;
        if (last && !holders_.empty() && !opts.force)
            return Error(Errc::Conflict, "conflict: unable to remove repository reference \"" + ref_or_id +
                                             "\" (must force) - container " + holders_.front() +
                                             " is using its referenced image " + img.id.short_hex());
        TRY(untag(*by_tag));
        lines.push_back("Untagged: " + by_tag->familiar());
        if (!last || !holders_.empty())
            return lines;
    } else {
        if (!holders_.empty())
            return Error(Errc::Conflict, "conflict: unable to delete " + img.id.short_hex() +
                                             " (cannot be forced) - image is being used by container " +
                                             holders_.front());
        if (img.repo_tags.size() > 1 && !opts.force)
            return Error(Errc::Conflict, "conflict: unable to delete " + img.id.short_hex() +
                                             " (must be forced) - image is referenced in multiple repositories");
        for (auto& t : img.repo_tags) {
            TRY(untag(TRY(ImageReference::parse(t))));
            lines.push_back("Untagged: " + familiar(t));
        }
    }
    for (auto& rd : img.repo_digests)
        lines.push_back("Untagged: " + familiar(rd));
    {
        auto held = TRY(lock());
        if (!holders(img.id).empty()) // a container took it meanwhile
            return lines;
        TRY(delete_record(img.id));
    }
    lines.push_back("Deleted: " + img.id.str());
    journal("delete", img.id.str(), img.repo_tags.empty() ? img.id.str() : familiar(img.repo_tags.front()));
    auto stats = TRY(gc());
    for (auto& l : stats.layers_removed)
        lines.push_back("Deleted: " + l.str());
    return lines;
}

Result<std::vector<std::string>> ImageStore::prune(bool all, uint64_t* reclaimed)
{
    std::vector<std::string> lines;
    auto images = TRY(list());
    for (auto& img : images) {
        if (!holders(img.id).empty())
            continue;
        if (!all && !img.repo_tags.empty())
            continue;
        for (auto& t : img.repo_tags) {
            auto ref = TRY(ImageReference::parse(t));
            TRY(untag(ref));
            lines.push_back("untagged: " + ref.familiar());
        }
        {
            auto held = TRY(lock());
            if (!holders(img.id).empty())
                continue;
            TRY(delete_record(img.id));
        }
        lines.push_back("deleted: " + img.id.str());
    }
    auto stats = TRY(gc());
    for (auto& l : stats.layers_removed)
        lines.push_back("deleted: " + l.str());
    if (reclaimed)
        *reclaimed = stats.reclaimed;
    return lines;
}

Result<GcStats> ImageStore::gc()
{
    auto held = TRY(lock());
    std::set<std::string> blobs, layer_ids;
    for (auto& id : record_ids()) {
        blobs.insert(id.str());
        auto text = sys::read_file(m_root + "/images/" + id.hex() + ".json");
        if (!text)
            continue;
        std::string mtype;
        Digest md;
        try {
            auto j = json::parse(*text);
            auto d = Digest::parse(j.at("manifest_digest").get<std::string>());
            if (!d)
                continue;
            md = *d;
            mtype = j.value("manifest_media_type", "");
        } catch (const json::exception&) {
            continue;
        }
        blobs.insert(md.str());
        if (auto mb = m_content.read(md))
            if (auto m = parse_manifest(*mb, mtype))
                for (auto& l : m->layers)
                    blobs.insert(l.digest.str());
        if (auto cb = m_content.read(id))
            if (auto doc = parse_image_document(*cb))
                for (auto& d : doc->diff_ids)
                    layer_ids.insert(d.str());
    }
    for (auto& name : entries(m_root + "/leases")) {
        std::string path = m_root + "/leases/" + name;
        if (!pid_alive(std::strtol(name.c_str(), nullptr, 10))) {
            ::unlink(path.c_str());
            continue;
        }
        auto text = sys::read_file(path);
        if (!text)
            continue;
        std::istringstream in(*text);
        for (std::string line; std::getline(in, line);) {
            blobs.insert(line);
            layer_ids.insert(line);
        }
    }
    GcStats stats;
    for (auto& d : m_content.list()) {
        if (blobs.count(d.str()))
            continue;
        if (auto sz = m_content.size(d))
            stats.reclaimed += static_cast<uint64_t>(*sz);
        TRY(m_content.remove(d));
    }
    for (auto& d : m_layers.list()) {
        if (layer_ids.count(d.str()))
            continue;
        if (auto info = m_layers.info(d))
            stats.reclaimed += info->size;
        TRY(m_layers.remove(d));
        stats.layers_removed.push_back(d);
    }
    // Leftovers of processes that died mid-ingest or mid-unpack.
    for (auto& name : entries(m_root + "/ingest"))
        if (!pid_alive(std::strtol(name.c_str(), nullptr, 10)))
            ::unlink((m_root + "/ingest/" + name).c_str());
    for (auto& name : entries(m_root + "/layers")) {
        if (!name.starts_with(".tmp-"))
            continue;
        std::string rest = name.substr(name.starts_with(".tmp-rm-") ? 8 + 65 : 5);
        if (!pid_alive(std::strtol(rest.c_str(), nullptr, 10)))
            (void)sys::remove_all(m_root + "/layers/" + name);
    }
    return stats;
}

} // namespace wharf::engine
