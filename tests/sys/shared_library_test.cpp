#include "engine/sys/shared_library.h"

#include <doctest/doctest.h>
#include <string>

using namespace wharf;

// zlib (libz.so.1, on every Debian system), declared here only to type the table: the test
// binary does not link it.
extern "C" {
const char* zlibVersion();
unsigned long crc32(unsigned long crc, const unsigned char* buf, unsigned int len);
}

TEST_SUITE("sys.shared_library") {

TEST_CASE("SharedLibrary_OpensAndResolvesARealLibrary")
{
    auto lib = sys::SharedLibrary::open("libz.so.1");
    REQUIRE_MESSAGE(lib, (lib ? "" : lib.error().summary()));
    auto fn = lib->symbol("zlibVersion");
    REQUIRE(fn);
    auto version = reinterpret_cast<decltype(&::zlibVersion)>(*fn)();
    CHECK(std::string(version).rfind("1.", 0) == 0);
}

TEST_CASE("SharedLibrary_MissingLibraryAndSymbolAreNamed")
{
    auto none = sys::SharedLibrary::open("libwharf-no-such.so.0");
    REQUIRE_FALSE(none);
    CHECK(none.error().code() == Errc::NotFound);
    CHECK(none.error().summary().rfind("dlopen libwharf-no-such.so.0: ", 0) == 0);

    auto lib = sys::SharedLibrary::open("libz.so.1");
    REQUIRE(lib);
    auto sym = lib->symbol("wharf_no_such_symbol");
    REQUIRE_FALSE(sym);
    CHECK(sym.error().summary() == "libz.so.1 has no symbol wharf_no_such_symbol");
}

#define TEST_ZLIB_FUNCTIONS(X) X(zlibVersion) X(crc32)
struct TestZlib {
    WHARF_LIBRARY_TABLE(TEST_ZLIB_FUNCTIONS)
};

TEST_CASE("LoadLibrary_FillsTheTableOnceAndReturnsTheSameTable")
{
    auto load = [] {
        return &sys::load_library<TestZlib>("libz.so.1", [](const sys::SharedLibrary& lib, TestZlib& t) -> Result<void> {
            TEST_ZLIB_FUNCTIONS(WHARF_LIBRARY_RESOLVE)
            return ok();
        });
    };
    const auto& first = *load();
    REQUIRE(first);
    const TestZlib* t = *first;
    const unsigned char abc[] = {'a', 'b', 'c'};
    CHECK(t->crc32(0, abc, 3) == 0x352441c2u); // CRC-32 of "abc"
    CHECK(load() == &first); // one load per process and table
}

} // TEST_SUITE
