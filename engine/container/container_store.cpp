#include "engine/container/container_store.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <dirent.h>
#include <memory>
#include <random>
#include <sys/random.h>
#include <unistd.h>

namespace wharf::engine {

Result<ContainerStore> ContainerStore::open(const std::string& root)
{
    ContainerStore s;
    s.m_root = root;
    s.m_dir = root + "/containers";
    TRY_CTX(sys::make_dirs(s.m_dir, 0710), "open container store");
    return s;
}

Result<sys::FileLock> ContainerStore::lock_store() const { return sys::FileLock::acquire(m_dir + "/.lock"); }

Result<sys::FileLock> ContainerStore::lock_record(const std::string& id) const
{
    return sys::FileLock::acquire(dir(id) + "/lock");
}

Result<void> ContainerStore::add(const ContainerRecord& record)
{
    auto lock = TRY(lock_store());
    for (const auto& other : list())
        if (other.config.name == record.config.name)
            return Error(Errc::Conflict, "Conflict. The container name \"/" + record.config.name +
                                             "\" is already in use by container \"" + other.id +
                                             "\". You have to remove (or rename) that container to be able to reuse that name.");
    TRY(sys::make_dirs(dir(record.id), 0710));
    // A `--rm` container's record lives only as long as the container: a host crash ends
    // both, so it skips the two fsyncs (a millisecond or more of each `run --rm`).
    auto durability = record.config.auto_remove ? sys::Durability::Relaxed : sys::Durability::Fsync;
    return sys::write_file_atomic(dir(record.id) + "/config.json", encode_record(record), 0600, durability);
}

Result<ContainerRecord> ContainerStore::load(const std::string& id) const
{
    auto text = sys::read_file(dir(id) + "/config.json");
    if (!text) {
        if (text.error().code() == Errc::NotFound)
            return Error(Errc::NotFound, "No such container: " + id);
        return std::move(text).error();
    }
    return decode_record(*text);
}

Result<ContainerRecord> ContainerStore::update(const std::string& id,
                                               const std::function<void(ContainerRecord&)>& change) const
{
    if (!sys::exists(dir(id) + "/config.json"))
        return Error(Errc::NotFound, "No such container: " + id);
    auto lock = TRY(lock_record(id));
    auto record = TRY(load(id));
    change(record);
    // Updates carry runtime state (status, pids, health): a lost one is repaired by the next
    // command, so they skip fsync (the record itself was made durable by add()).
    TRY(sys::write_file_atomic(dir(id) + "/config.json", encode_record(record), 0600, sys::Durability::Relaxed));
    return record;
}

std::vector<ContainerRecord> ContainerStore::list() const
{
    std::vector<ContainerRecord> out;
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(m_dir.c_str()), ::closedir);
    if (!d)
        return out;
    while (dirent* e = ::readdir(d.get())) {
        std::string name = e->d_name;
        if (name.size() != 64)
            continue;
        if (auto r = load(name))
            out.push_back(std::move(*r));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.created > b.created; });
    return out;
}

Result<std::string> ContainerStore::resolve(const std::string& name_or_id) const
{
    std::string want = !name_or_id.empty() && name_or_id[0] == '/' ? name_or_id.substr(1) : name_or_id;
    if (want.empty())
        return Error(Errc::NotFound, "No such container: " + name_or_id);
    auto all = list();
    for (const auto& r : all)
        if (r.id == want || r.config.name == want)
            return r.id;
    std::vector<std::string> matches;
    for (const auto& r : all)
        if (r.id.rfind(want, 0) == 0)
            matches.push_back(r.id);
    if (matches.size() == 1)
        return matches[0];
    if (matches.size() > 1)
        return Error(Errc::Invalid, "multiple IDs found with provided prefix: " + want);
    return Error(Errc::NotFound, "No such container: " + name_or_id);
}

Result<void> ContainerStore::remove(const std::string& id) const
{
    return sys::remove_all(TRY(detach(id)));
}

Result<std::string> ContainerStore::detach(const std::string& id) const
{
    std::string gone = m_dir + "/.removed-" + id + "." + std::to_string(::getpid());
    if (::rename(dir(id).c_str(), gone.c_str()) != 0) {
        if (errno == ENOENT)
            return gone; // already removed: nothing to delete
        return Error::from_errno("rename " + dir(id) + " " + gone, errno);
    }
    return gone;
}

void ContainerStore::sweep_detached() const
{
    for (const auto& name : sys::list_dir(m_dir)) {
        if (name.rfind(".removed-", 0) != 0)
            continue;
        auto dot = name.rfind('.');
        pid_t pid = static_cast<pid_t>(std::atoi(name.c_str() + dot + 1));
        if (pid > 0 && (::kill(pid, 0) == 0 || errno != ESRCH))
            continue; // its remover is still at work
        (void)sys::remove_all(m_dir + "/" + name);
    }
}

std::string new_container_id()
{
    unsigned char bytes[32];
    size_t got = 0;
    while (got < sizeof bytes) {
        ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
        if (n > 0)
            got += static_cast<size_t>(n);
    }
    static const char* hex = "0123456789abcdef";
    std::string id;
    for (unsigned char b : bytes) {
        id += hex[b >> 4];
        id += hex[b & 15];
    }
    // Docker avoids all-digit short IDs (they would parse as numbers); so do we.
    if (id.find_first_not_of("0123456789", 0) >= 12)
        id[0] = 'a';
    return id;
}

std::string random_container_name(const std::vector<std::string>& taken)
{
    // Our own word lists in Docker's "adjective_surname" style (names of scientists and engineers).
    static const char* const adjectives[] = {
        "agile", "bold", "brave", "bright", "calm", "clever", "cool", "crisp", "eager", "fervent",
        "gentle", "happy", "jolly", "keen", "kind", "lucid", "merry", "nimble", "proud", "quiet",
        "quirky", "serene", "sharp", "steady", "sunny", "swift", "tender", "vivid", "wise", "zealous"};
    static const char* const names[] = {
        "babbage", "bohr", "cerf", "curie", "darwin", "dijkstra", "einstein", "euler", "fermi",
        "feynman", "gauss", "goodall", "hamilton", "hopper", "hypatia", "kepler", "knuth", "lamport",
        "liskov", "lovelace", "maxwell", "meitner", "noether", "pascal", "ritchie", "shannon",
        "thompson", "torvalds", "turing", "wozniak"};
    std::random_device rd;
    std::mt19937 gen(rd());
    for (int attempt = 0;; ++attempt) {
        std::string n = std::string(adjectives[gen() % std::size(adjectives)]) + "_" + names[gen() % std::size(names)];
        if (attempt > 10)
            n += std::to_string(gen() % 10);
        if (std::find(taken.begin(), taken.end(), n) == taken.end())
            return n;
    }
}

bool valid_container_name(const std::string& name)
{
    std::string n = !name.empty() && name[0] == '/' ? name.substr(1) : name;
    if (n.size() < 2 || !std::isalnum(static_cast<unsigned char>(n[0])))
        return false;
    return std::all_of(n.begin() + 1, n.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
    });
}

} // namespace wharf::engine
