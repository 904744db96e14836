#pragma once
/// SharedLibrary: a shared library opened at run time with dlopen(3), for the heavy
/// dependencies only some commands use (libcurl for the registry, libarchive for tarballs).
/// Linked normally, their dozens of transitive libraries would be loaded and relocated by
/// every `wharf` command — about 4 ms of each `wharf ps` or `wharf run` here.
///
/// A library's functions are listed once in an X-macro table, resolved together:
///
///   #define MY_FUNCTIONS(X) X(zlibVersion) X(deflate)
///   struct Zlib { WHARF_LIBRARY_TABLE(MY_FUNCTIONS) };
///   Result<const Zlib*> z = sys::load_library<Zlib>("libz.so.1", [](auto& lib, Zlib& t) {
///       MY_FUNCTIONS(WHARF_LIBRARY_RESOLVE) return ok(); });
///
/// Errors name the library and the symbol (`dlopen libcurl.so.4: … cannot open shared
/// object file`). A loaded library stays loaded for the life of the process.

#include "engine/base/result.h"

#include <string>

namespace wharf::sys {

class SharedLibrary {
public:
    /// dlopen(soname, RTLD_NOW | RTLD_LOCAL).
    static Result<SharedLibrary> open(const std::string& soname);
    /// The address of `name`; NotFound when the library does not define it.
    Result<void*> symbol(const char* name) const;

private:
    SharedLibrary(std::string soname, void* handle) : m_soname(std::move(soname)), m_handle(handle) {}
    std::string m_soname;
    void* m_handle;
};

/// Declares one function pointer member per table entry, typed after the real declaration.
#define WHARF_LIBRARY_MEMBER(f) decltype(&::f) f = nullptr;
#define WHARF_LIBRARY_TABLE(list) list(WHARF_LIBRARY_MEMBER)
/// Inside a resolver lambda with parameters (lib, t): fills t.f or returns the error.
#define WHARF_LIBRARY_RESOLVE(f) t.f = reinterpret_cast<decltype(t.f)>(TRY(lib.symbol(#f)));

/// Opens `soname` and fills a `Table` with `resolve(lib, table)`, once per process
/// (thread-safe); later calls return the same table or the same error.
template <typename Table, typename Resolve>
const Result<const Table*>& load_library(const char* soname, Resolve resolve)
{
    static const Result<const Table*> loaded = [&]() -> Result<const Table*> {
        auto lib = TRY(SharedLibrary::open(soname));
        static Table table;
        TRY(resolve(lib, table));
        return &table;
    }();
    return loaded;
}

} // namespace wharf::sys
