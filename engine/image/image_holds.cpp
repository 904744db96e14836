#include "engine/image/image_holds.h"

#include "engine/sys/file.h"

#include <unistd.h>

namespace wharf::engine {

Result<void> ImageHolds::add_locked(const Digest& id, const std::string& holder) const
{
    if (holder.empty() || holder.find('/') != std::string::npos || holder[0] == '.')
        return Error(Errc::Invalid, "invalid image holder name \"" + holder + "\"");
    TRY(sys::make_dirs(m_root + "/holds/" + id.hex()));
    return sys::write_file_atomic(m_root + "/holds/" + id.hex() + "/" + holder, "");
}

Result<void> ImageHolds::release(const Digest& id, const std::string& holder) const
{
    auto held = TRY(sys::FileLock::acquire(m_root + "/lock"));
    std::string dir = m_root + "/holds/" + id.hex();
    ::unlink((dir + "/" + holder).c_str());
    ::rmdir(dir.c_str()); // only when empty
    return ok();
}

std::vector<std::string> ImageHolds::holders(const Digest& id) const
{
    std::vector<std::string> out;
    for (auto& n : sys::list_dir(m_root + "/holds/" + id.hex()))
        if (n.find(".tmp.") == std::string::npos)
            out.push_back(n);
    return out;
}

} // namespace wharf::engine
