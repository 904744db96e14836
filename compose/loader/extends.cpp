// Phase 6: `extends` — a service starts from another service (same file or another file)
// and merges its own attributes on top, by the same rules as override files.
#include "compose/loader/merge.h"
#include "compose/loader/path.h"
#include "compose/loader/phases.h"

#include <map>

namespace wharf::compose::loader {

namespace {

struct ExtendsRef {
    std::string service;
    std::string file; // "" = same file
    Mark mark;
};

ExtendsRef read_ref(const Node& ext)
{
    ExtendsRef r;
    r.mark = ext.mark;
    if (ext.is_scalar()) {
        r.service = ext.text;
    } else {
        if (const Node* s = ext.find("service"))
            r.service = s->text;
        if (const Node* f = ext.find("file")) {
            r.file = f->text;
            r.mark = f->mark;
        }
    }
    return r;
}

class Extender {
public:
    Extender(LoadState& st, const Environment& env) : m_st(st), m_env(env) {}

    // Resolves service `name` of `tree` (file `file_key`) in place.
    Result<void> resolve(Node& tree, const std::string& file_key, const std::string& name,
        std::vector<std::string>& chain)
    {
        Node* services = tree.find("services");
        Node* svc = services ? services->find(name) : nullptr;
        if (!svc || !svc->is_map())
            return ok();
        const Node* ext = svc->find("extends");
        if (!ext)
            return ok();
        ExtendsRef ref = read_ref(*ext);
        std::string path = "services." + name + ".extends";
        if (ref.service.empty())
            return node_error(ext->mark, path, "missing required property \"service\"");
        std::string link = file_key + "#" + name;
        for (const auto& c : chain)
            if (c == link) {
                std::string cycle;
                bool on = false;
                for (const auto& x : chain) {
                    on = on || x == link;
                    if (on)
                        cycle += x.substr(x.find('#') + 1) + " -> ";
                }
                return node_error(ext->mark, path, "extends cycle: " + cycle + name);
            }
        chain.push_back(link);

        Node base;
        if (ref.file.empty()) {
            Node* base_svc = services->find(ref.service);
            if (!base_svc)
                return node_error(ext->mark, path, "service \"" + ref.service + "\" not found");
            TRY(resolve(tree, file_key, ref.service, chain));
            base = *tree.find("services")->find(ref.service);
        } else {
            const std::string& dir = ext->mark.file ? ext->mark.file->base_dir : m_st.options.working_dir;
            std::string abs = resolve_path(dir, ref.file, m_st.home);
            Node* other = TRY(other_file(abs, ref.file, ref.mark, path));
            Node* other_services = other->find("services");
            if (!other_services || !other_services->find(ref.service))
                return node_error(ext->mark, path, "service \"" + ref.service + "\" not found in " + ref.file);
            TRY(resolve(*other, abs, ref.service, chain));
            base = *other->find("services")->find(ref.service);
        }
        chain.pop_back();

        // Re-find: resolving the base may have reallocated entries of this tree.
        svc = tree.find("services")->find(name);
        Node own = *svc;
        own.erase("extends");
        if (base.is_null())
            base = Node::map(own.mark);
        base.erase("extends");
        merge_service(base, own);
        *svc = std::move(base);
        return ok();
    }

private:
    Result<Node*> other_file(const std::string& abs, const std::string& given, const Mark& mark,
        const std::string& path)
    {
        auto it = m_files.find(abs);
        if (it != m_files.end())
            return &it->second;
        // Relative paths in an extended file resolve against that file's own directory.
        auto tree = load_file_tree(m_st, display_name(abs, m_st.options.working_dir), abs, dir_name(abs), m_env);
        if (!tree) {
            if (tree.error().code() == Errc::NotFound)
                return node_error(mark, path, "file " + given + " not found");
            return std::move(tree).error();
        }
        return &m_files.emplace(abs, std::move(*tree)).first->second;
    }

    LoadState& m_st;
    const Environment& m_env;
    std::map<std::string, Node> m_files;
};

} // namespace

Result<void> apply_extends(LoadState& st, Node& tree, const Environment& env)
{
    Node* services = tree.find("services");
    if (!services || !services->is_map())
        return ok();
    Extender ex(st, env);
    std::string key = tree.mark.file ? tree.mark.file->path : "";
    std::vector<std::string> names;
    for (const auto& e : services->entries)
        if (e.value.is_map() && e.value.find("extends")) // resolve() finds the service by name: skip the rest
            names.push_back(e.key);
    for (const auto& n : names) {
        std::vector<std::string> chain;
        TRY(ex.resolve(tree, key, n, chain));
    }
    return ok();
}

} // namespace wharf::compose::loader
