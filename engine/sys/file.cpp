#include "engine/sys/file.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wharf::sys {

namespace {
template <typename F>
auto retry_eintr(F f)
{
    decltype(f()) r;
    do {
        r = f();
    } while (r == -1 && errno == EINTR);
    return r;
}

std::string parent_of(const std::string& path)
{
    auto slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}
} // namespace

Result<std::string> read_file(const std::string& path)
{
    UniqueFd fd(retry_eintr([&] { return ::open(path.c_str(), O_RDONLY | O_CLOEXEC); }));
    if (!fd)
        return Error::from_errno("open " + path, errno);
    std::string out;
    char buf[65536];
    for (;;) {
        ssize_t n = retry_eintr([&] { return ::read(fd.get(), buf, sizeof buf); });
        if (n < 0)
            return Error::from_errno("read " + path, errno);
        if (n == 0)
            break;
        out.append(buf, static_cast<size_t>(n));
    }
    return out;
}

Result<void> write_file_atomic(const std::string& path, std::string_view content, int mode, Durability durability)
{
    std::string tmp = path + ".tmp." + std::to_string(::getpid());
    UniqueFd fd(retry_eintr([&] { return ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode); }));
    if (!fd)
        return Error::from_errno("open " + tmp, errno);
    size_t done = 0;
    while (done < content.size()) {
        ssize_t n = retry_eintr([&] { return ::write(fd.get(), content.data() + done, content.size() - done); });
        if (n < 0) {
            int err = errno;
            ::unlink(tmp.c_str());
            return Error::from_errno("write " + tmp, err);
        }
        done += static_cast<size_t>(n);
    }
    if (durability == Durability::Fsync && ::fsync(fd.get()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return Error::from_errno("fsync " + tmp, err);
    }
    fd.reset();
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return Error::from_errno("rename " + tmp + " to " + path, err);
    }
    if (durability == Durability::Relaxed)
        return ok();
    UniqueFd dir(::open(parent_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir)
        ::fsync(dir.get());
    return ok();
}

Result<void> make_dirs(const std::string& path, int mode)
{
    if (path.empty())
        return ok();
    if (::mkdir(path.c_str(), static_cast<mode_t>(mode)) == 0)
        return ok();
    if (errno == EEXIST) {
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
            return ok();
        return Error(Errc::Conflict, "mkdir " + path + ": exists and is not a directory");
    }
    if (errno != ENOENT)
        return Error::from_errno("mkdir " + path, errno);
    std::string parent = parent_of(path);
    if (parent != path)
        TRY(make_dirs(parent, 0755));
    if (::mkdir(path.c_str(), static_cast<mode_t>(mode)) != 0 && errno != EEXIST)
        return Error::from_errno("mkdir " + path, errno);
    return ok();
}

Result<void> remove_all(const std::string& path)
{
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    if (ec)
        return Error(Errc::Sys, "remove " + path + ": " + ec.message());
    return ok();
}

bool exists(const std::string& path)
{
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

std::vector<std::string> list_dir(const std::string& path)
{
    std::vector<std::string> out;
    DIR* dir = ::opendir(path.c_str());
    if (!dir)
        return out;
    while (auto* e = ::readdir(dir)) {
        std::string name = e->d_name;
        if (name != "." && name != "..")
            out.push_back(std::move(name));
    }
    ::closedir(dir);
    std::sort(out.begin(), out.end());
    return out;
}

Result<FileLock> FileLock::acquire(const std::string& path)
{
    UniqueFd fd(retry_eintr([&] { return ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600); }));
    if (!fd)
        return Error::from_errno("open lock " + path, errno);
    if (retry_eintr([&] { return ::flock(fd.get(), LOCK_EX); }) != 0)
        return Error::from_errno("flock " + path, errno);
    return FileLock(std::move(fd));
}

Result<TempDir> TempDir::create(const std::string& prefix)
{
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/" + prefix + "-XXXXXX";
    if (!::mkdtemp(tmpl.data()))
        return Error::from_errno("mkdtemp " + tmpl, errno);
    return TempDir(tmpl);
}

TempDir::~TempDir()
{
    if (!m_path.empty())
        (void)remove_all(m_path);
}

} // namespace wharf::sys
