#pragma once
/// VolumeStore: named volumes as directories under <root>/volumes/<name>/:
///   _data/       the content, bind-mounted into containers
///   volume.json  name, labels, options, created time
/// Knows nothing of containers: "in use" checks belong to the caller (ContainerEngine).

#include "engine/api/volume.h"
#include "engine/base/result.h"

#include <string>
#include <vector>

namespace wharf::engine {

class VolumeStore {
public:
    static Result<VolumeStore> open(const std::string& root);

    /// Creates the volume, or returns the existing one of that name (Docker's behaviour).
    Result<Volume> create(const std::string& name, const std::map<std::string, std::string>& labels = {},
                          bool anonymous = false);
    /// NotFound: "get NAME: no such volume".
    Result<Volume> get(const std::string& name) const;
    std::vector<Volume> list() const;
    Result<void> remove(const std::string& name) const;
    bool exists(const std::string& name) const;

private:
    std::string m_root;
    std::string m_dir;
};

/// ^[a-zA-Z0-9][a-zA-Z0-9_.-]+$
bool valid_volume_name(const std::string& name);

} // namespace wharf::engine
