#include "engine/sys/disk_usage.h"

#include "engine/sys/fd.h"

#include <dirent.h>
#include <fcntl.h>
#include <set>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace wharf::sys {

namespace {
void walk(int dirfd, dev_t dev, std::set<std::pair<dev_t, ino_t>>& seen, uint64_t& total)
{
    DIR* d = ::fdopendir(dirfd); // takes ownership of dirfd
    if (!d) {
        ::close(dirfd);
        return;
    }
    while (dirent* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name == "." || name == "..")
            continue;
        struct stat st { };
        if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (st.st_dev != dev)
                continue;
            int sub = ::openat(::dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0)
                walk(sub, dev, seen, total);
            continue;
        }
        if (st.st_nlink > 1 && !seen.insert({st.st_dev, st.st_ino}).second)
            continue;
        if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))
            total += static_cast<uint64_t>(st.st_size);
    }
    ::closedir(d);
}
} // namespace

uint64_t disk_usage(const std::string& path)
{
    int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st { };
    if (::fstat(fd, &st) < 0) {
        ::close(fd);
        return 0;
    }
    std::set<std::pair<dev_t, ino_t>> seen;
    uint64_t total = 0;
    walk(fd, st.st_dev, seen, total);
    return total;
}

} // namespace wharf::sys
