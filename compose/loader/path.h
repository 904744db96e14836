#pragma once
/// Attribute paths for messages ("services.web.ports[0]") and filesystem path helpers
/// for the loader (pure string functions: no getenv, no cwd; thread-safe).

#include <string>
#include <string_view>

namespace wharf::compose::loader {

/// "services" + "web" → "services.web"; a key with dots stays readable as is.
std::string join_path(const std::string& parent, std::string_view key);

/// Lexically cleans a path as Go's filepath.Clean does ("a/./b/../c" → "a/c").
std::string clean_path(const std::string& p);

/// Resolves `p` against `base` unless absolute; `~` / `~/x` expand with `home`.
std::string resolve_path(const std::string& base, const std::string& p, const std::string& home);

/// Directory part of a path ("/a/b/c.yaml" → "/a/b").
std::string dir_name(const std::string& p);
/// Last component ("/a/b/" → "b").
std::string base_name(const std::string& p);

/// True for build contexts that are not local paths (git, http(s), URLs with "://").
bool is_remote_context(const std::string& p);

} // namespace wharf::compose::loader
