#include "engine/sys/copy.h"

#include "engine/sys/fd.h"

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <unistd.h>

namespace wharf::sys {

Result<void> copy_metadata(const std::string& to, const struct stat& st, std::optional<Owner> owner)
{
    // The owner first: chown(2) clears the setuid and setgid bits that chmod(2) then restores.
    if (::lchown(to.c_str(), owner ? owner->uid : st.st_uid, owner ? owner->gid : st.st_gid) < 0)
        return Error::from_errno("lchown(2) " + to, errno);
    if (!S_ISLNK(st.st_mode) && ::chmod(to.c_str(), st.st_mode & 07777) < 0)
        return Error::from_errno("chmod(2) " + to, errno);
    timespec times[2] = {st.st_atim, st.st_mtim};
    (void)::utimensat(AT_FDCWD, to.c_str(), times, AT_SYMLINK_NOFOLLOW);
    return ok();
}

namespace {
Result<void> copy_file(const std::string& from, const std::string& to, const struct stat& st)
{
    UniqueFd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!in)
        return Error::from_errno("open " + from, errno);
    UniqueFd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!out)
        return Error::from_errno("open " + to, errno);
    off_t left = st.st_size;
    while (left > 0) {
        ssize_t n = ::sendfile(out.get(), in.get(), nullptr, static_cast<size_t>(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error::from_errno("sendfile(2) " + from + " to " + to, errno);
        if (n == 0)
            break;
        left -= n;
    }
    return ok();
}
} // namespace

Result<void> copy_entry(const std::string& from, const std::string& to, std::optional<Owner> owner)
{
    struct stat st{};
    if (::lstat(from.c_str(), &st) < 0)
        return Error::from_errno("lstat(2) " + from, errno);
    if (S_ISDIR(st.st_mode)) {
        if (::mkdir(to.c_str(), 0700) < 0 && errno != EEXIST)
            return Error::from_errno("mkdir " + to, errno);
        TRY(copy_tree(from, to, owner));
    } else if (S_ISREG(st.st_mode)) {
        TRY(copy_file(from, to, st));
    } else if (S_ISLNK(st.st_mode)) {
        std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
        ssize_t n = ::readlink(from.c_str(), target.data(), target.size());
        if (n < 0)
            return Error::from_errno("readlink(2) " + from, errno);
        target.resize(static_cast<size_t>(n));
        if (::symlink(target.c_str(), to.c_str()) < 0)
            return Error::from_errno("symlink(2) " + to, errno);
    } else if (::mknod(to.c_str(), st.st_mode, st.st_rdev) < 0) {
        return Error::from_errno("mknod(2) " + to, errno);
    }
    return copy_metadata(to, st, owner);
}

Result<void> copy_tree(const std::string& from, const std::string& to, std::optional<Owner> owner)
{
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(from.c_str()), ::closedir);
    if (!dir)
        return Error::from_errno("opendir(3) " + from, errno);
    while (dirent* e = ::readdir(dir.get())) {
        std::string name = e->d_name;
        if (name == "." || name == "..")
            continue;
        TRY(copy_entry(from + "/" + name, to + "/" + name, owner));
    }
    return ok();
}

bool dir_is_empty(const std::string& dir)
{
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
    if (!d)
        return false;
    while (dirent* e = ::readdir(d.get())) {
        std::string name = e->d_name;
        if (name != "." && name != "..")
            return false;
    }
    return true;
}

} // namespace wharf::sys
