// The loader pipeline driver (phase order documented in loader.h).
#include "compose/loader/loader.h"

#include "compose/loader/dotenv.h"
#include "compose/loader/merge.h"
#include "compose/loader/path.h"
#include "compose/loader/phases.h"
#include "compose/loader/schema.h"
#include "compose/loader/transform.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <sys/stat.h>

namespace wharf::compose {

using namespace loader;

namespace {

Result<std::string> real_read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        struct stat sb{};
        if (::stat(path.c_str(), &sb) != 0)
            return Error::from_errno("open " + path, errno);
        return Error(Errc::Permission, "open " + path + ": cannot read");
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool real_file_exists(const std::string& path)
{
    struct stat sb{};
    return ::stat(path.c_str(), &sb) == 0 && S_ISREG(sb.st_mode);
}

Result<std::string> real_read_stdin()
{
    std::string s((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    return s;
}

std::vector<std::string> split_any(const std::string& s, const std::string& seps)
{
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (seps.find(c) != std::string::npos) {
            if (!cur.empty())
                out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty())
        out.push_back(cur);
    return out;
}

void collect_origins(const Node& n, const std::string& path, std::vector<ValueOrigin>& out)
{
    if (n.is_map()) {
        for (const auto& e : n.entries)
            collect_origins(e.value, join_path(path, e.key), out);
    } else if (n.is_seq()) {
        for (size_t i = 0; i < n.items.size(); ++i)
            collect_origins(n.items[i], path + "[" + std::to_string(i) + "]", out);
    } else if (n.mark.file) {
        ValueOrigin o;
        o.path = path;
        o.location = n.mark.file->name + ":" + std::to_string(n.mark.line) + ":" + std::to_string(n.mark.column);
        if (n.interpolated)
            o.note = "interpolated";
        out.push_back(std::move(o));
    }
}

} // namespace

std::string normalize_project_name(const std::string& name)
{
    std::string out;
    for (char c : name) {
        char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '_' || l == '-')
            out += l;
    }
    size_t i = 0;
    while (i < out.size() && (out[i] == '_' || out[i] == '-'))
        ++i;
    return out.substr(i);
}

bool is_valid_project_name(const std::string& name)
{
    if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= '0' && name[0] <= '9')))
        return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    return true;
}

std::vector<std::string> discover_compose_files(const std::string& start,
    const std::function<bool(const std::string&)>& file_exists)
{
    static const char* kFiles[] = {"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"};
    static const char* kOverrides[] = {"compose.override.yml", "compose.override.yaml",
        "docker-compose.override.yml", "docker-compose.override.yaml"};
    std::string dir = clean_path(start);
    while (true) {
        for (const char* f : kFiles) {
            std::string p = (dir == "/" ? "" : dir) + "/" + f;
            if (file_exists(p)) {
                std::vector<std::string> out{p};
                for (const char* o : kOverrides) {
                    std::string op = (dir == "/" ? "" : dir) + "/" + o;
                    if (file_exists(op)) {
                        out.push_back(op);
                        break;
                    }
                }
                return out;
            }
        }
        if (dir == "/")
            return {};
        dir = dir_name(dir);
    }
}

namespace loader {

std::string display_name(const std::string& path, const std::string& working_dir)
{
    std::string wd = working_dir;
    if (!wd.empty() && wd.back() != '/')
        wd += '/';
    if (!wd.empty() && path.rfind(wd, 0) == 0)
        return path.substr(wd.size());
    return path;
}

Result<Node> load_file_tree(LoadState& st, const std::string& display, const std::string& path,
    const std::string& base_dir, const Environment& env)
{
    std::string text;
    if (path == "-") {
        text = TRY(st.options.read_stdin());
    } else {
        auto r = st.options.read_file(path);
        if (!r)
            return std::move(r).error();
        text = std::move(*r);
    }
    auto file = SourceFile::create(display, path == "-" ? "" : path, base_dir, std::move(text));
    Node tree = TRY(parse_yaml(file));
    if (!tree.is_map())
        return node_error(tree.mark, "", "top-level object must be a mapping, not " + describe(tree));
    if (st.options.interpolate)
        TRY(interpolate_tree(tree, env, st.unset_variables));
    if (tree.find("version"))
        st.warnings.push_back(display + ": the attribute `version` is obsolete, it will be ignored, please remove it "
                                        "to avoid potential confusion");
    (void)path;
    return tree;
}

} // namespace loader

Result<LoadedProject> load_project(const LoadOptions& in)
{
    LoadOptions opts = in;
    if (!opts.read_file)
        opts.read_file = real_read_file;
    if (!opts.file_exists)
        opts.file_exists = real_file_exists;
    if (!opts.read_stdin)
        opts.read_stdin = real_read_stdin;
    if (opts.working_dir.empty())
        opts.working_dir = "/";
    LoadState st{opts, {}, {}, {}, {}};
    const Environment& proc = opts.environment;
    if (auto h = proc.find("HOME"); h != proc.end())
        st.home = h->second;
    const std::string& cwd = opts.working_dir;

    // 1. discover. COMPOSE_FILE may also come from the working directory's .env.
    auto getenv_or = [&](const Environment& e, const char* k) -> std::string {
        auto it = e.find(k);
        return it == e.end() ? std::string() : it->second;
    };
    std::vector<std::string> files;
    for (const auto& f : opts.files)
        files.push_back(f == "-" ? f : resolve_path(cwd, f, st.home));
    if (files.empty()) {
        std::string compose_file = getenv_or(proc, "COMPOSE_FILE");
        if (compose_file.empty() && opts.env_files.empty() && opts.file_exists(cwd + "/.env")) {
            auto text = opts.read_file(cwd + "/.env");
            if (text)
                if (auto parsed = parse_dotenv(*text, ".env", [](const std::string&) { return std::nullopt; }))
                    compose_file = getenv_or(*parsed, "COMPOSE_FILE");
        }
        if (!compose_file.empty()) {
            std::string sep = getenv_or(proc, "COMPOSE_PATH_SEPARATOR");
            for (const auto& f : split_any(compose_file, sep.empty() ? ":" : sep))
                files.push_back(resolve_path(cwd, f, st.home));
        } else {
            files = discover_compose_files(cwd, opts.file_exists);
        }
    }
    if (files.empty())
        return Error(Errc::NotFound, "no configuration file provided: not found");

    // The project directory: --project-directory, else the first file's directory.
    std::string project_dir;
    if (!opts.project_directory.empty())
        project_dir = resolve_path(cwd, opts.project_directory, st.home);
    else if (files.front() != "-")
        project_dir = dir_name(files.front());
    else
        project_dir = clean_path(cwd);

    // 2. env: .env values only fill what the process environment leaves unset.
    Environment env;
    std::vector<std::string> env_files;
    for (const auto& f : opts.env_files)
        env_files.push_back(resolve_path(cwd, f, st.home));
    std::string disable = getenv_or(proc, "COMPOSE_DISABLE_ENV_FILE");
    if (env_files.empty() && disable != "true" && disable != "1" && opts.file_exists(project_dir + "/.env"))
        env_files.push_back(project_dir + "/.env");
    for (const auto& f : env_files) {
        auto text = opts.read_file(f);
        if (!text)
            return Error(Errc::NotFound, "couldn't find env file: " + f);
        auto parsed = parse_dotenv(*text, display_name(f, cwd), [&](const std::string& k) -> std::optional<std::string> {
            auto it = proc.find(k);
            if (it != proc.end())
                return it->second;
            auto e2 = env.find(k);
            return e2 == env.end() ? std::nullopt : std::optional<std::string>(e2->second);
        });
        if (!parsed)
            return std::move(parsed).error();
        for (auto& [k, v] : *parsed)
            env[k] = v;
    }
    for (const auto& [k, v] : proc)
        env[k] = v;

    // Project name from -p or COMPOSE_PROJECT_NAME must already be valid.
    std::string name = opts.project_name;
    if (name.empty())
        name = getenv_or(env, "COMPOSE_PROJECT_NAME");
    if (!name.empty() && !is_valid_project_name(name))
        return Error(Errc::Invalid, "invalid project name \"" + name + "\": must consist only of lowercase "
            "alphanumeric characters, hyphens, and underscores as well as start with a letter or number");
    if (!name.empty())
        env["COMPOSE_PROJECT_NAME"] = name;

    // 3–7. parse, interpolate, include, extends, merge — file by file.
    Node merged;
    bool first = true;
    for (const auto& f : files) {
        std::string display = f == "-" ? "-" : display_name(f, cwd);
        auto tree = load_file_tree(st, display, f, project_dir, env);
        if (!tree) {
            if (tree.error().code() == Errc::NotFound && !tree.error().loc())
                return Error(Errc::NotFound, "open " + f + ": no such file or directory");
            return std::move(tree).error();
        }
        st.include_stack.insert(f);
        TRY(apply_include(st, *tree, env));
        TRY(apply_extends(st, *tree, env));
        if (first) {
            merged = std::move(*tree);
            first = false;
        } else {
            merge_project(merged, *tree);
        }
    }
    strip_reset(merged);
    for (const auto& v : st.unset_variables)
        st.warnings.push_back("The \"" + v + "\" variable is not set. Defaulting to a blank string.");

    // 8. validate the merged tree.
    TRY(validate_schema(merged));

    // `name:` (interpolated; the last file setting it wins) must already be a valid name, as
    // compose-go checks it; only the directory name is normalised.
    if (name.empty())
        if (const Node* n = merged.find("name"); n && !n->text.empty()) {
            if (!is_valid_project_name(n->text))
                return node_error(n->mark, "name", "invalid project name \"" + n->text + "\": must consist only of "
                    "lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or "
                    "number");
            name = n->text;
        }
    if (name.empty())
        name = normalize_project_name(base_name(project_dir));
    if (name.empty())
        return Error(Errc::Invalid, "project name must not be empty");

    LoadedProject out;
    Project& p = out.project;
    p.name = name;
    p.working_dir = project_dir;
    for (const auto& f : files)
        p.compose_files.push_back(f);
    p.env_files = env_files;
    p.environment = env;

    // 9–10. profiles and transformation.
    std::vector<std::string> profiles = opts.profiles;
    if (profiles.empty())
        for (const auto& pr : split_any(getenv_or(env, "COMPOSE_PROFILES"), ","))
            profiles.push_back(pr);
    auto active = [&](const std::vector<std::string>& svc_profiles) {
        if (svc_profiles.empty())
            return true;
        for (const auto& sp : svc_profiles)
            for (const auto& ap : profiles)
                if (sp == ap || ap == "*")
                    return true;
        return false;
    };
    TransformContext ctx{env, st.home, opts.resolve_paths, opts.interpolate, true, opts.read_file, st.warnings};
    const Node* services = merged.find("services");
    auto service_node = [&](const std::string& key) {
        const Node* v = services ? services->find(key) : nullptr;
        return !v || v->is_null() ? Node::map(v ? v->mark : Mark{}) : *v;
    };
    if (services) {
        for (const auto& e : services->entries) {
            std::vector<std::string> svc_profiles;
            if (const Node* pr = e.value.find("profiles"); pr && pr->is_seq())
                for (const auto& item : pr->items)
                    svc_profiles.push_back(item.text);
            // A disabled service's env files are neither read nor required (as docker
            // compose): they are read if a command-line name enables it below.
            // With services named on the command line, only those (and what they depend
            // on) read their env files, as `docker compose up serviceA` does.
            bool enabled = active(svc_profiles);
            ctx.read_env_files = enabled && opts.services.empty();
            ServiceConfig s = TRY(transform_service(e.key, e.value.is_null() ? Node::map(e.value.mark) : e.value, ctx));
            (enabled ? p.services : p.disabled_services)[e.key] = std::move(s);
        }
        ctx.read_env_files = true;
    }
    // Services named on the command line are enabled with what they depend on.
    for (const auto& wanted : opts.services) {
        if (!p.services.count(wanted) && !p.disabled_services.count(wanted))
            return Error(Errc::NotFound, "no such service: " + wanted);
    }
    if (!opts.services.empty()) {
        std::vector<std::string> queue = opts.services;
        std::set<std::string> done;
        while (!queue.empty()) {
            std::string n = queue.back();
            queue.pop_back();
            if (!done.insert(n).second)
                continue;
            p.disabled_services.erase(n);
            p.services[n] = TRY(transform_service(n, service_node(n), ctx));
            for (const auto& [dep, _] : p.services[n].depends_on)
                if (p.services.count(dep) || p.disabled_services.count(dep))
                    queue.push_back(dep);
        }
    }
    for (const char* section : {"networks", "volumes", "secrets", "configs"}) {
        const Node* sec = merged.find(section);
        if (!sec)
            continue;
        for (const auto& e : sec->entries) {
            std::string path = std::string(section) + "." + e.key;
            if (std::string_view(section) == "networks")
                p.networks[e.key] = TRY(transform_network(e.key, e.value, ctx));
            else if (std::string_view(section) == "volumes")
                p.volumes[e.key] = TRY(transform_volume(e.key, e.value, ctx));
            else if (std::string_view(section) == "secrets")
                p.secrets[e.key] = TRY(transform_file_object(path, e.value, ctx));
            else
                p.configs[e.key] = TRY(transform_file_object(path, e.value, ctx));
        }
    }
    for (const auto& e : merged.entries)
        if (e.key.rfind("x-", 0) == 0)
            p.extensions[e.key] = to_value(e.value);

    // 11–12. defaults and references.
    TRY(apply_defaults_and_check(st, p, merged));

    collect_origins(merged, "", out.origins);
    out.warnings = std::move(st.warnings);
    return out;
}

Result<LoadedProject> load_from_string(const std::string& yaml, const std::string& name,
    const std::string& working_dir, const std::map<std::string, std::string>& environment)
{
    LoadOptions o;
    std::string path = working_dir + "/" + name;
    o.files = {path};
    o.working_dir = working_dir;
    o.environment = environment;
    o.read_file = [yaml, path](const std::string& p) -> Result<std::string> {
        if (p == path)
            return yaml;
        return Error(Errc::NotFound, "open " + p + ": No such file or directory");
    };
    o.file_exists = [path](const std::string& p) { return p == path; };
    return load_project(o);
}

} // namespace wharf::compose
