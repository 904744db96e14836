#include "engine/volume/volume_store.h"

#include "engine/events/event_journal.h"

#include "engine/container/clock.h"
#include "engine/sys/file.h"

#include <algorithm>
#include <dirent.h>
#include <memory>
#include <nlohmann/json.hpp>

namespace wharf::engine {

Result<VolumeStore> VolumeStore::open(const std::string& root)
{
    VolumeStore s;
    s.m_root = root;
    s.m_dir = root + "/volumes";
    TRY_CTX(sys::make_dirs(s.m_dir, 0701), "open volume store");
    return s;
}

namespace {

/// Docker's volume event (Actor attributes: driver). Best effort, as every journal write.
void volume_event(const std::string& root, const std::string& name, const std::string& action)
{
    Event e;
    e.type = "volume";
    e.action = action;
    e.id = name;
    e.attributes = {{"driver", "local"}};
    record_event(root, std::move(e));
}

} // namespace

bool valid_volume_name(const std::string& name)
{
    if (name.size() < 2 || !std::isalnum(static_cast<unsigned char>(name[0])))
        return false;
    return std::all_of(name.begin() + 1, name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
    });
}

bool VolumeStore::exists(const std::string& name) const
{
    return sys::exists(m_dir + "/" + name + "/volume.json");
}

Result<Volume> VolumeStore::create(const std::string& name, const std::map<std::string, std::string>& labels,
                                   bool anonymous)
{
    if (!valid_volume_name(name))
        return Error(Errc::Invalid, "create " + name + ": \"" + name +
                                        "\" includes invalid characters for a local volume name, only "
                                        "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
    auto lock = TRY(sys::FileLock::acquire(m_dir + "/.lock"));
    if (exists(name))
        return get(name);
    std::string dir = m_dir + "/" + name;
    TRY(sys::make_dirs(dir + "/_data", 0755));
    nlohmann::ordered_json j;
    j["Name"] = name;
    j["CreatedAt"] = now_rfc3339nano();
    j["Labels"] = labels;
    j["Anonymous"] = anonymous;
    TRY(sys::write_file_atomic(dir + "/volume.json", j.dump(2) + "\n"));
    volume_event(m_root, name, "create");
    return get(name);
}

Result<Volume> VolumeStore::get(const std::string& name) const
{
    auto text = sys::read_file(m_dir + "/" + name + "/volume.json");
    if (!text)
        return Error(Errc::NotFound, "get " + name + ": no such volume");
    try {
        auto j = nlohmann::json::parse(*text);
        Volume v;
        v.name = name;
        v.mountpoint = m_dir + "/" + name + "/_data";
        v.created_at = j.value("CreatedAt", "");
        v.labels = j.value("Labels", std::map<std::string, std::string>{});
        v.anonymous = j.value("Anonymous", false);
        return v;
    } catch (const std::exception& e) {
        return Error(Errc::Invalid, "get " + name + ": " + e.what());
    }
}

std::vector<Volume> VolumeStore::list() const
{
    std::vector<Volume> out;
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(m_dir.c_str()), ::closedir);
    if (!d)
        return out;
    while (dirent* e = ::readdir(d.get())) {
        std::string name = e->d_name;
        if (name[0] == '.')
            continue;
        if (auto v = get(name))
            out.push_back(std::move(*v));
    }
    std::sort(out.begin(), out.end(), [](const Volume& a, const Volume& b) { return a.name < b.name; });
    return out;
}

Result<void> VolumeStore::remove(const std::string& name) const
{
    if (!exists(name))
        return Error(Errc::NotFound, "get " + name + ": no such volume");
    TRY(sys::remove_all(m_dir + "/" + name));
    volume_event(m_root, name, "destroy");
    return ok();
}

} // namespace wharf::engine
