#include "engine/image/archive_library.h"

#include <cstdio>
#include <cstdlib>

namespace wharf::engine {

const ArchiveLibrary& libarchive()
{
    const auto& loaded = sys::load_library<ArchiveLibrary>("libarchive.so.13", [](const sys::SharedLibrary& lib, ArchiveLibrary& t) -> Result<void> {
        WHARF_ARCHIVE_FUNCTIONS(WHARF_LIBRARY_RESOLVE)
        return ok();
    });
    if (!loaded) {
        std::fprintf(stderr, "wharf: %s (install libarchive13)\n", loaded.error().summary().c_str());
        std::_Exit(125);
    }
    return **loaded;
}

} // namespace wharf::engine
