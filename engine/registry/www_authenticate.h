#pragma once
/// WWW-Authenticate challenges (RFC 7235 §4.1, RFC 6750 §3) as values.
///
///   Bearer realm="https://auth.example/token",service="reg",scope="repository:a/b:pull,push"
///   -> {scheme "bearer", params {realm, service, scope}}
///
/// A header may hold several comma-separated challenges; parameter values are tokens or
/// quoted strings (which may contain commas and `\"` escapes), so the text is tokenised,
/// never split on ','. Scheme and parameter names are case-insensitive and returned
/// lower-cased; values are kept verbatim. A challenge may carry a token68 instead of params.
/// parse_www_authenticate() fails with Errc::Invalid naming the column:
///   `WWW-Authenticate: unterminated quoted string at column 14`.
/// Values only.

#include "engine/base/result.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace wharf::engine::registry {

struct Challenge {
    std::string scheme;                       ///< lower-cased: "basic", "bearer"
    std::map<std::string, std::string> params; ///< lower-cased names
    std::string token68;                      ///< rarely used alternative to params

    /// The parameter's value or "" when absent.
    std::string param(const std::string& name) const;
};

Result<std::vector<Challenge>> parse_www_authenticate(std::string_view header);

} // namespace wharf::engine::registry
