#include "engine/image/content_store.h"

#include "engine/sys/file.h"

#include <atomic>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace wharf::engine {

namespace {
std::string random_suffix()
{
    static std::atomic<uint64_t> counter{0};
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + std::to_string(rng() % 1000000);
}
} // namespace

Ingest::~Ingest()
{
    if (!m_done && !m_temp.empty()) {
        m_fd.reset();
        ::unlink(m_temp.c_str());
    }
}

Result<void> Ingest::write(const void* data, size_t size)
{
    const char* p = static_cast<const char*>(data);
    size_t done = 0;
    while (done < size) {
        ssize_t n = ::write(m_fd.get(), p + done, size - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return Error::from_errno("write " + m_temp, errno);
        }
        done += static_cast<size_t>(n);
    }
    m_hasher.update(data, size);
    return ok();
}

Result<Digest> Ingest::commit(const std::optional<Digest>& expected, std::optional<int64_t> expected_size,
                              const std::string& what)
{
    uint64_t got_size = m_hasher.size();
    Digest got = m_hasher.finish();
    if (expected_size && static_cast<uint64_t>(*expected_size) != got_size)
        return Error(Errc::Io, "size mismatch for " + what + ": expected " + std::to_string(*expected_size) +
                                   " bytes, got " + std::to_string(got_size));
    if (expected && *expected != got)
        return Error(Errc::Io, "digest mismatch for " + what + ": expected " + expected->str() + ", got " + got.str());
    // No fsync per blob: a crash can only lose blobs nothing references yet, because image
    // records are written (atomically, with fsync) after all their blobs.
    m_fd.reset();
    std::string final_path = m_blobs_dir + "/" + got.hex();
    if (::rename(m_temp.c_str(), final_path.c_str()) != 0)
        return Error::from_errno("rename " + m_temp + " to " + final_path, errno);
    m_done = true;
    return got;
}

Result<ContentStore> ContentStore::open(const std::string& root)
{
    TRY(sys::make_dirs(root + "/blobs/sha256"));
    TRY(sys::make_dirs(root + "/ingest"));
    return ContentStore(root);
}

bool ContentStore::has(const Digest& d) const
{
    struct stat st {};
    return ::stat(blob_path(d).c_str(), &st) == 0;
}

Result<int64_t> ContentStore::size(const Digest& d) const
{
    struct stat st {};
    if (::stat(blob_path(d).c_str(), &st) != 0)
        return Error(Errc::NotFound, "blob " + d.str() + " not found in the content store");
    return static_cast<int64_t>(st.st_size);
}

Result<std::string> ContentStore::read(const Digest& d) const
{
    if (!has(d))
        return Error(Errc::NotFound, "blob " + d.str() + " not found in the content store");
    return sys::read_file(blob_path(d));
}

Result<Ingest> ContentStore::begin_ingest() const
{
    std::string temp = m_root + "/ingest/" + random_suffix();
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return Error::from_errno("open " + temp, errno);
    return Ingest(m_root + "/blobs/sha256", temp, sys::UniqueFd(fd));
}

Result<Digest> ContentStore::put(std::string_view bytes, const std::optional<Digest>& expected)
{
    if (expected && has(*expected)) {
        if (sha256(bytes) != *expected)
            return Error(Errc::Io, "digest mismatch: expected " + expected->str() + ", got " + sha256(bytes).str());
        return *expected;
    }
    auto ing = TRY(begin_ingest());
    TRY(ing.write(bytes.data(), bytes.size()));
    return ing.commit(expected, static_cast<int64_t>(bytes.size()), expected ? expected->str() : "blob");
}

Result<Digest> ContentStore::put_file(const std::string& path, const std::optional<Digest>& expected,
                                      const std::string& what)
{
    sys::UniqueFd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!in)
        return Error::from_errno("open " + path, errno);
    auto ing = TRY(begin_ingest());
    std::vector<char> buf(1 << 20);
    for (;;) {
        ssize_t n = ::read(in.get(), buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return Error::from_errno("read " + path, errno);
        }
        if (n == 0)
            break;
        TRY(ing.write(buf.data(), static_cast<size_t>(n)));
    }
    return ing.commit(expected, std::nullopt, what);
}

Result<void> ContentStore::remove(const Digest& d)
{
    if (::unlink(blob_path(d).c_str()) != 0 && errno != ENOENT)
        return Error::from_errno("unlink " + blob_path(d), errno);
    return ok();
}

std::vector<Digest> ContentStore::list() const
{
    std::vector<Digest> out;
    DIR* dir = ::opendir((m_root + "/blobs/sha256").c_str());
    if (!dir)
        return out;
    while (auto* e = ::readdir(dir)) {
        std::string name = e->d_name;
        if (name.size() == 64)
            if (auto d = Digest::parse("sha256:" + name))
                out.push_back(*d);
    }
    ::closedir(dir);
    return out;
}

} // namespace wharf::engine
