#pragma once
/// ContainerStore: the container records under <root>/containers/<id>/.
///
///   <root>/containers/<id>/config.json     the ContainerRecord (atomic writes)
///   <root>/containers/<id>/<id>-json.log   Docker json-file log
///   <root>/containers/<id>/{upper,work,merged}  overlay dirs (the mount lives only in the
///                                           container's own mount namespace)
///   <root>/containers/<id>/{hosts,hostname,resolv.conf}  bind-mounted into the container
///   <root>/containers/.lock                serialises create/rename/remove (name uniqueness)
///   <root>/containers/.removed-<id>.<pid>  a removed container's files, being deleted by <pid>
///   <root>/containers/<id>/lock            serialises read-modify-write of one record
///
/// Thread-compatible; safe across processes through the lock files.

#include "engine/api/container.h"
#include "engine/sys/file.h"

#include <functional>
#include <string>
#include <vector>

namespace wharf::engine {

class ContainerStore {
public:
    static Result<ContainerStore> open(const std::string& root);

    const std::string& root() const { return m_root; }
    std::string dir(const std::string& id) const { return m_dir + "/" + id; }
    std::string log_path(const std::string& id) const { return dir(id) + "/" + id + "-json.log"; }

    /// Writes a new record; fails with Docker's Conflict text when the name is taken.
    /// Takes the store lock.
    Result<void> add(const ContainerRecord& record);
    Result<ContainerRecord> load(const std::string& id) const;
    /// Re-reads, applies `change`, writes back, all under the record's lock.
    Result<ContainerRecord> update(const std::string& id, const std::function<void(ContainerRecord&)>& change) const;
    /// Every record (unreadable ones skipped), newest first.
    std::vector<ContainerRecord> list() const;
    /// Full ID, unique ID prefix, or name (with or without '/'). NotFound: Docker's
    /// "No such container: x"; ambiguous prefix: Invalid.
    Result<std::string> resolve(const std::string& name_or_id) const;
    /// Deletes the record and its directory.
    Result<void> remove(const std::string& id) const;
    /// Removes the record at once — its ID and name are free when this returns — by renaming
    /// its directory out of the store; returns that directory, for the caller to delete
    /// (sys::remove_all) when it has time, e.g. after telling a waiting CLI the container ended.
    Result<std::string> detach(const std::string& id) const;
    /// Deletes what detach() left behind by processes that died before deleting it.
    void sweep_detached() const;
    Result<sys::FileLock> lock_store() const;
    Result<sys::FileLock> lock_record(const std::string& id) const;

private:
    std::string m_root;
    std::string m_dir;
};

/// 64 random hex digits.
std::string new_container_id();
/// A Docker-style "adjective_name" that no record in `taken` uses.
std::string random_container_name(const std::vector<std::string>& taken);
/// Docker's rule: ^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$
bool valid_container_name(const std::string& name);

} // namespace wharf::engine
