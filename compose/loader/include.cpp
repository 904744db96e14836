// Phase 5: `include:` — other compose projects imported into this one. Each included
// project is loaded on its own (its project directory, its env_file), then its resources
// are added; a resource defined both by an include and by the including file is an error.
#include "compose/loader/dotenv.h"
#include "compose/loader/merge.h"
#include "compose/loader/path.h"
#include "compose/loader/phases.h"

namespace wharf::compose::loader {

namespace {

std::vector<std::pair<std::string, Mark>> list_of(const Node& n)
{
    std::vector<std::pair<std::string, Mark>> out;
    if (n.is_seq())
        for (const auto& i : n.items)
            out.emplace_back(i.text, i.mark);
    else if (n.is_scalar())
        out.emplace_back(n.text, n.mark);
    return out;
}

} // namespace

Result<void> apply_include(LoadState& st, Node& tree, const Environment& env)
{
    Node* inc = tree.find("include");
    if (!inc)
        return ok();
    if (!inc->is_seq())
        return node_error(inc->mark, "include", "must be a list, not " + describe(*inc));
    const std::string including_dir = tree.mark.file ? tree.mark.file->base_dir : st.options.working_dir;
    Node imported = Node::map(tree.mark);
    for (size_t i = 0; i < inc->items.size(); ++i) {
        const Node& item = inc->items[i];
        std::string ipath = "include[" + std::to_string(i) + "]";
        std::vector<std::pair<std::string, Mark>> paths, env_files;
        std::string project_dir;
        if (item.is_scalar()) {
            paths = list_of(item);
        } else if (item.is_map()) {
            if (const Node* p = item.find("path"))
                paths = list_of(*p);
            if (const Node* e = item.find("env_file"))
                env_files = list_of(*e);
            if (const Node* d = item.find("project_directory"))
                project_dir = resolve_path(including_dir, d->text, st.home);
        } else {
            return node_error(item.mark, ipath, "must be a string or a mapping, not " + describe(item));
        }
        if (paths.empty())
            return node_error(item.mark, ipath, "missing required property \"path\"");
        std::vector<std::string> abs;
        for (const auto& [p, m] : paths)
            abs.push_back(resolve_path(including_dir, p, st.home));
        if (project_dir.empty())
            project_dir = dir_name(abs.front());

        // The included project's own variables fill what the including environment leaves unset.
        Environment sub_env;
        if (env_files.empty()) {
            std::string dflt = project_dir + "/.env";
            if (st.options.file_exists(dflt))
                env_files.emplace_back(dflt, item.mark);
        }
        for (const auto& [f, m] : env_files) {
            std::string fp = resolve_path(including_dir, f, st.home);
            auto text = st.options.read_file(fp);
            if (!text)
                return node_error(m, ipath + ".env_file", "env file " + fp + " not found");
            auto parsed = parse_dotenv(*text, fp, [&](const std::string& k) -> std::optional<std::string> {
                auto it = env.find(k);
                return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
            });
            if (!parsed)
                return node_error(m, ipath + ".env_file", parsed.error().message());
            for (auto& [k, v] : *parsed)
                sub_env[k] = v;
        }
        for (const auto& [k, v] : env)
            sub_env[k] = v;

        Node sub = Node::map(item.mark);
        for (size_t k = 0; k < abs.size(); ++k) {
            if (st.include_stack.count(abs[k]))
                return node_error(paths[k].second, ipath, "include cycle: " + abs[k] + " includes itself");
            st.include_stack.insert(abs[k]);
            auto t = load_file_tree(st, display_name(abs[k], st.options.working_dir), abs[k], project_dir, sub_env);
            if (!t) {
                st.include_stack.erase(abs[k]);
                if (t.error().code() == Errc::NotFound)
                    return node_error(paths[k].second, ipath, "file " + paths[k].first + " not found");
                return std::move(t).error();
            }
            auto r = apply_include(st, *t, sub_env);
            if (r)
                r = apply_extends(st, *t, sub_env);
            st.include_stack.erase(abs[k]);
            if (!r)
                return std::move(r).error();
            merge_project(sub, *t);
        }
        // Two includes defining the same resource conflict, as do include and the file itself.
        for (const char* section : {"services", "networks", "volumes", "configs", "secrets"}) {
            const Node* from = sub.find(section);
            if (!from)
                continue;
            Node* into = imported.find(section);
            const Node* own = tree.find(section);
            for (const auto& e : from->entries) {
                if ((into && into->find(e.key)) || (own && own->find(e.key))) {
                    const Node* o = own ? own->find(e.key) : nullptr;
                    Mark m = o ? own->entries[0].key_mark : e.key_mark;
                    if (own)
                        for (const auto& oe : own->entries)
                            if (oe.key == e.key)
                                m = oe.key_mark;
                    return node_error(m, std::string(section) + "." + e.key,
                        "conflicts with imported resource from " + abs.front());
                }
            }
        }
        merge_project(imported, sub);
    }
    tree.erase("include");
    // Imported resources first, the including file's own on top (no conflicts remain).
    merge_project(imported, tree);
    Mark keep = tree.mark;
    tree = std::move(imported);
    tree.mark = keep;
    return ok();
}

} // namespace wharf::compose::loader
