#include "engine/registry/curl_library.h"

namespace wharf::engine::registry {

const Result<const CurlLibrary*>& curl_library()
{
    return sys::load_library<CurlLibrary>("libcurl.so.4", [](const sys::SharedLibrary& lib, CurlLibrary& t) -> Result<void> {
        WHARF_CURL_FUNCTIONS(WHARF_LIBRARY_RESOLVE)
        if (CURLcode c = t.curl_global_init(CURL_GLOBAL_DEFAULT); c != CURLE_OK)
            return Error(Errc::Internal, std::string("curl_global_init: ") + t.curl_easy_strerror(c));
        return ok();
    });
}

} // namespace wharf::engine::registry
