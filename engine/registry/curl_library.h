#pragma once
/// libcurl, opened on first use (sys/shared_library.h): only commands that talk to a
/// registry load it and its twenty-odd dependencies. http.cpp is its only user.

#define CURL_DISABLE_TYPECHECK // the type-checking macros would hide the table's members
#include <curl/curl.h>

#include "engine/sys/shared_library.h"

namespace wharf::engine::registry {

#define WHARF_CURL_FUNCTIONS(X)                                                                    \
    X(curl_global_init) X(curl_easy_init) X(curl_easy_setopt) X(curl_easy_perform)                 \
    X(curl_easy_getinfo) X(curl_easy_cleanup) X(curl_easy_strerror) X(curl_free)                   \
    X(curl_slist_append) X(curl_slist_free_all) X(curl_multi_init) X(curl_multi_add_handle)        \
    X(curl_multi_remove_handle) X(curl_multi_perform) X(curl_multi_poll) X(curl_multi_info_read)   \
    X(curl_multi_cleanup) X(curl_multi_strerror) X(curl_url) X(curl_url_set) X(curl_url_get)       \
    X(curl_url_cleanup)

struct CurlLibrary {
    WHARF_LIBRARY_TABLE(WHARF_CURL_FUNCTIONS)
};

/// libcurl.so.4 with curl_global_init() done, once per process; thread-safe.
/// Fails (NotFound, naming the library) when libcurl4 is not installed.
const Result<const CurlLibrary*>& curl_library();

} // namespace wharf::engine::registry
