#include "engine/api/mount.h"

#include "engine/base/split.h"


namespace wharf::engine {

const char* to_string(MountType type)
{
    switch (type) {
    case MountType::Bind: return "bind";
    case MountType::Volume: return "volume";
    case MountType::Tmpfs: return "tmpfs";
    }
    return "bind";
}

namespace {
std::vector<std::string> split(const std::string& s, char sep)
{
    auto fields = wharf::split(s, sep);
    return {fields.begin(), fields.end()};
}

bool is_mode_word(const std::string& w)
{
    for (const char* m : {"ro", "rw", "z", "Z", "private", "rprivate", "shared", "rshared", "slave",
                          "rslave", "nocopy", "consistent", "cached", "delegated"})
        if (w == m)
            return true;
    return false;
}

bool is_mode_list(const std::string& s)
{
    for (const auto& w : split(s, ','))
        if (!is_mode_word(w))
            return false;
    return !s.empty();
}

std::string absolute(const std::string& path, const std::string& cwd)
{
    if (path == ".")
        return cwd;
    if (path.rfind("./", 0) == 0)
        return cwd + path.substr(1);
    if (path.rfind("..", 0) == 0)
        return cwd + "/" + path;
    return path;
}

Result<void> check_target(const std::string& target, const std::string& spec)
{
    if (target.empty() || target[0] != '/')
        return Error(Errc::Invalid, "invalid volume specification: '" + spec +
                                        "': invalid mount config for type \"volume\": invalid mount path: '" +
                                        target + "' mount path must be absolute");
    if (target == "/")
        return Error(Errc::Invalid, "invalid volume specification: '" + spec + "': invalid mount config: destination can't be '/'");
    return ok();
}
} // namespace

Result<MountSpec> parse_volume_flag(const std::string& text, const std::string& cwd)
{
    auto parts = split(text, ':');
    MountSpec m;
    std::string mode;
    if (parts.size() == 1) {
        m.type = MountType::Volume;
        m.anonymous = true;
        m.target = parts[0];
    } else if (parts.size() == 2) {
        if (is_mode_list(parts[1]) && parts[1][0] != '/')
            return Error(Errc::Invalid, "invalid volume specification: '" + text + "'");
        m.source = parts[0];
        m.target = parts[1];
    } else if (parts.size() == 3) {
        m.source = parts[0];
        m.target = parts[1];
        mode = parts[2];
        if (!is_mode_list(mode))
            return Error(Errc::Invalid, "invalid mode: " + mode);
    } else {
        return Error(Errc::Invalid, "invalid volume specification: '" + text + "'");
    }
    if (!m.anonymous) {
        if (m.source.empty())
            return Error(Errc::Invalid, "invalid volume specification: '" + text + "'");
        m.source = absolute(m.source, cwd);
        if (m.source[0] == '/') {
            m.type = MountType::Bind;
            m.create_host_path = true;
        } else {
            m.type = MountType::Volume;
        }
    }
    TRY(check_target(m.target, text));
    for (const auto& w : split(mode, ',')) {
        if (w == "ro")
            m.read_only = true;
        else if (w == "nocopy")
            m.no_copy = true;
        else if (w.find("private") != std::string::npos || w.find("shared") != std::string::npos ||
                 w.find("slave") != std::string::npos)
            m.options.push_back(w);
    }
    return m;
}

Result<MountSpec> parse_mount_flag(const std::string& text, const std::string& cwd)
{
    MountSpec m;
    std::string type = "volume";
    bool have_type = false;
    for (const auto& field : split(text, ',')) {
        auto eq = field.find('=');
        std::string key = field.substr(0, eq);
        std::string value = eq == std::string::npos ? "" : field.substr(eq + 1);
        if (key == "type") {
            type = value;
            have_type = true;
        } else if (key == "source" || key == "src") {
            m.source = value;
        } else if (key == "destination" || key == "dst" || key == "target") {
            m.target = value;
        } else if (key == "readonly" || key == "ro") {
            if (eq != std::string::npos && value != "true" && value != "1" && value != "false" && value != "0")
                return Error(Errc::Invalid, "invalid value for " + key + ": " + value);
            m.read_only = eq == std::string::npos || value == "true" || value == "1";
        } else if (key == "bind-propagation") {
            m.options.push_back(value);
        } else if (key == "volume-nocopy") {
            m.no_copy = eq == std::string::npos || value == "true" || value == "1";
        } else if (key == "tmpfs-size") {
            m.options.push_back("size=" + value);
        } else if (key == "tmpfs-mode") {
            m.options.push_back("mode=" + value);
        } else if (key == "bind-recursive" || key == "consistency" || key == "volume-driver" ||
                   key == "volume-opt" || key == "volume-subpath" || key == "bind-nonrecursive") {
            // accepted for compatibility; wharf binds are always recursive
        } else {
            return Error(Errc::Invalid, "invalid field '" + key + "' must be a key=value pair");
        }
    }
    (void)have_type;
    if (type == "bind") {
        m.type = MountType::Bind;
    } else if (type == "volume") {
        m.type = MountType::Volume;
        m.anonymous = m.source.empty();
    } else if (type == "tmpfs") {
        m.type = MountType::Tmpfs;
        if (!m.source.empty())
            return Error(Errc::Invalid, "invalid mount config for type \"tmpfs\": source must not be specified");
    } else {
        return Error(Errc::Invalid, "invalid mount config: mount type unknown: \"" + type + "\"");
    }
    if (m.target.empty())
        return Error(Errc::Invalid, "invalid mount config for type \"" + type + "\": field Target must not be empty");
    if (m.target[0] != '/')
        return Error(Errc::Invalid, "invalid mount config for type \"" + type + "\": invalid mount path: '" +
                                        m.target + "' mount path must be absolute");
    if (m.type == MountType::Bind) {
        if (m.source.empty())
            return Error(Errc::Invalid, "invalid mount config for type \"bind\": field Source must not be empty");
        m.source = absolute(m.source, cwd);
        if (m.source[0] != '/')
            return Error(Errc::Invalid, "invalid mount config for type \"bind\": invalid mount path: '" +
                                            m.source + "' mount path must be absolute");
    }
    return m;
}

Result<MountSpec> parse_tmpfs_flag(const std::string& text)
{
    MountSpec m;
    m.type = MountType::Tmpfs;
    auto colon = text.find(':');
    m.target = text.substr(0, colon);
    if (colon != std::string::npos)
        for (const auto& o : split(text.substr(colon + 1), ','))
            if (o == "ro")
                m.read_only = true;
            else if (!o.empty())
                m.options.push_back(o);
    if (m.target.empty() || m.target[0] != '/')
        return Error(Errc::Invalid, "invalid mount path: '" + m.target + "' mount path must be absolute");
    return m;
}

} // namespace wharf::engine
