#include "engine/sys/shared_library.h"

#include <dlfcn.h>

namespace wharf::sys {

Result<SharedLibrary> SharedLibrary::open(const std::string& soname)
{
    void* handle = ::dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = ::dlerror();
        return Error(Errc::NotFound, "dlopen " + soname + ": " + (why ? why : "failed"));
    }
    return SharedLibrary(soname, handle);
}

Result<void*> SharedLibrary::symbol(const char* name) const
{
    ::dlerror();
    void* address = ::dlsym(m_handle, name);
    if (!address)
        return Error(Errc::NotFound, m_soname + " has no symbol " + name);
    return address;
}

} // namespace wharf::sys
