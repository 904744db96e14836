#pragma once
/// Whole-file helpers used by every state record and blob: read, atomic write, mkdir -p,
/// and an exclusive lock file. Errors name the call and the path.
///
/// write_file_atomic(): write a temp file beside the target, fsync, rename over the target,
/// fsync the directory. Readers see the old content or the new one, never a torn file.
/// Durability::Relaxed skips both fsyncs: still atomic for readers, but after a power loss
/// the old content may come back. For state that is rebuilt anyway (a container's runtime
/// status, which the next command repairs; the /etc files written at every start) — each
/// fsync costs milliseconds on a busy disk, and a start makes several such writes.

#include "engine/base/result.h"
#include "engine/sys/fd.h"

#include <string>
#include <string_view>
#include <vector>

namespace wharf::sys {

Result<std::string> read_file(const std::string& path);
enum class Durability { Fsync, Relaxed };
Result<void> write_file_atomic(const std::string& path, std::string_view content, int mode = 0644,
                               Durability durability = Durability::Fsync);
/// Creates `path` and its missing parents (mode 0755 unless told); existing dirs are fine.
Result<void> make_dirs(const std::string& path, int mode = 0755);
/// Removes a file or a whole tree; a missing path is not an error.
Result<void> remove_all(const std::string& path);
bool exists(const std::string& path);
/// The entry names of a directory, sorted, without "." and ".."; none when it is missing.
std::vector<std::string> list_dir(const std::string& path);

/// An exclusive flock(2) on `path` (created if missing), held until destruction.
class FileLock {
public:
    static Result<FileLock> acquire(const std::string& path);
    FileLock(FileLock&&) = default;
    FileLock& operator=(FileLock&&) = default;

private:
    explicit FileLock(UniqueFd fd) : m_fd(std::move(fd)) {}
    UniqueFd m_fd;
};

/// A fresh directory under $TMPDIR (or /tmp) named prefix-XXXXXX, removed on destruction
/// unless `release()`d. For tests and scratch space.
class TempDir {
public:
    static Result<TempDir> create(const std::string& prefix = "wharf");
    TempDir(TempDir&& other) noexcept : m_path(std::move(other.m_path)) { other.m_path.clear(); }
    TempDir& operator=(TempDir&&) = delete;
    ~TempDir();
    const std::string& path() const { return m_path; }
    std::string release() { return std::exchange(m_path, {}); }

private:
    explicit TempDir(std::string path) : m_path(std::move(path)) {}
    std::string m_path;
};

} // namespace wharf::sys
