#pragma once
/// ImageReference: a parsed, normalised image reference (distribution/reference rules).
///
///   nginx                     -> docker.io/library/nginx:latest   (familiar: nginx:latest)
///   localhost:5000/a/b        -> localhost:5000/a/b:latest
///   localhost/busybox@sha256:… -> digest reference, no tag (a tag given with a digest is dropped)
///
/// parse() fails with Errc::Invalid and a message naming the input:
///   invalid reference format: repository name (Foo/bar) must be lowercase
/// A bare 64-hex string is an image ID, never a name (is_image_id()).
/// Values only.

#include "engine/base/digest.h"
#include "engine/base/result.h"

#include <optional>
#include <string>
#include <string_view>

namespace wharf::engine {

enum class DefaultTag { Latest, None };

struct ImageReference {
    std::string domain; ///< "docker.io", "localhost", "127.0.0.1:5000"
    std::string path;   ///< "library/nginx", "busybox"
    std::string tag;    ///< empty when a digest is given or DefaultTag::None
    std::optional<Digest> digest;

    /// Parses and normalises. With DefaultTag::Latest an untagged, undigested name gets "latest".
    static Result<ImageReference> parse(std::string_view text, DefaultTag def = DefaultTag::Latest);

    /// "docker.io/library/nginx"
    std::string name() const { return domain + "/" + path; }
    /// "docker.io/library/nginx:latest" or "…@sha256:…" (both when both set).
    std::string str() const;
    /// Docker's short display form of name(): "nginx", "me/app", "localhost/busybox".
    std::string familiar_name() const;
    /// familiar_name() plus ":tag" / "@digest".
    std::string familiar() const;
    /// The host serving the registry API ("registry-1.docker.io" for docker.io).
    std::string registry_host() const;

    friend bool operator==(const ImageReference&, const ImageReference&) = default;
};

/// True for a 64-hex string (an image ID) or a "sha256:<64 hex>" digest.
bool is_image_id(std::string_view text);
/// True when `prefix` (at least one char, hex, optionally "sha256:"-prefixed) could be a
/// short form of an image ID.
bool is_id_prefix(std::string_view text);

} // namespace wharf::engine
