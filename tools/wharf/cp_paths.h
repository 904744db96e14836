#pragma once
/// The path rules of `cp`, as Docker's: which argument names a container ("NAME:PATH"; a
/// leading '/' or '.' is always a host path) and where SRC lands given what DEST is. Pure.

#include "engine/base/result.h"

#include <string>

namespace wharf::cli {

struct CpSpec {
    std::string container; ///< "" for a host path
    std::string path;
};
CpSpec split_cp_spec(const std::string& arg);
/// The container side as an absolute path: "" (from "c:") is "/", a relative path is taken
/// from the container's root, as Docker does (not from its working directory).
std::string container_side_path(const std::string& path);

/// The last component ("/a/b/" -> "b") and the rest ("/a/b" -> "/a", "b" -> ".").
std::string base_name(std::string path);
std::string dir_name(std::string path);

/// Where `cp -L` goes from the symlink `link` (absolute in the container) whose target is
/// `target`: an absolute target as it is, a relative one from the link's parent, cleaned
/// lexically ("/a/b" -> "../c" gives "/c"), as Docker's CLI (filepath.Join(srcParent, target)).
std::string follow_link_path(const std::string& link, const std::string& target);
/// `path` cleaned lexically, as Go's path.Clean: no "//", no "." and no "x/.." components,
/// no trailing '/', ".." above the root dropped; "" gives ".".
std::string clean_path(const std::string& path);

/// What exists at a destination.
enum class CpDest { Missing, Directory, Other };

/// Where SRC (a directory when `src_dir`) is written: into an existing directory under its
/// base name ("SRC/." copies the contents into it), else at DEST itself. Errors: a directory
/// onto a file; a file onto "DIR/" that does not exist.
Result<std::string> cp_target(
    const std::string& src, bool src_dir, const std::string& dest, CpDest dest_kind);

} // namespace wharf::cli
