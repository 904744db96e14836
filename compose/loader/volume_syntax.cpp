#include "compose/loader/volume_syntax.h"

namespace wharf::compose::loader {

Result<ServiceVolumeConfig> parse_volume_spec(const std::string& spec, std::vector<std::string>& ignored)
{
    auto bad = [&](const std::string& why) { return Error(Errc::Invalid, "invalid volume \"" + spec + "\": " + why); };
    if (spec.empty())
        return bad("empty specification");
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t i = 0; i <= spec.size(); ++i)
        if (i == spec.size() || spec[i] == ':') {
            parts.push_back(spec.substr(start, i - start));
            start = i + 1;
        }
    if (parts.size() > 3)
        return bad("too many colons");
    ServiceVolumeConfig v;
    std::string options;
    if (parts.size() == 1) {
        v.target = parts[0];
    } else {
        v.source = parts[0];
        v.target = parts[1];
        if (parts.size() == 3)
            options = parts[2];
    }
    if (v.target.empty())
        return bad("empty container path");
    bool is_path = !v.source.empty() && (v.source[0] == '.' || v.source[0] == '/' || v.source[0] == '~');
    if (is_path) {
        v.type = VolumeType::Bind;
        v.bind = ServiceVolumeBind{};
        v.bind->create_host_path = true;
    } else {
        v.type = VolumeType::Volume;
        v.volume = ServiceVolumeVolume{};
    }
    size_t os = 0;
    while (!options.empty() && os <= options.size()) {
        size_t comma = options.find(',', os);
        if (comma == std::string::npos)
            comma = options.size();
        std::string o = options.substr(os, comma - os);
        os = comma + 1;
        if (o.empty())
            continue;
        if (o == "ro") {
            v.read_only = true;
        } else if (o == "rw") {
            v.read_only = false;
        } else if (o == "z" || o == "Z") {
            if (!v.bind)
                v.bind = ServiceVolumeBind{};
            v.bind->selinux = o;
        } else if (o == "shared" || o == "rshared" || o == "slave" || o == "rslave" || o == "private" ||
                   o == "rprivate") {
            if (!v.bind)
                v.bind = ServiceVolumeBind{};
            v.bind->propagation = o;
        } else if (o == "nocopy") {
            if (!v.volume)
                v.volume = ServiceVolumeVolume{};
            v.volume->nocopy = true;
        } else {
            ignored.push_back(o);
        }
        if (comma == options.size())
            break;
    }
    return v;
}

} // namespace wharf::compose::loader
