// `wharf compose config`: the loaded, normalised project as docker compose prints it
// (YAML, or JSON with --format json), or one of its lists (--services, --volumes, …).
#include "compose/graph/graph.h"
#include "compose/model/serialize.h"
#include "compose/plan/config_hash.h"
#include "tools/wharf/compose_project.h"
#include "tools/wharf/verb.h"

#include <fstream>
#include <iostream>
#include <set>

namespace wharf::cli {
namespace {

struct ConfigFlags {
    std::vector<std::string> services;
    std::string format = "yaml";
    bool list_services = false, list_volumes = false, list_networks = false, list_profiles = false,
         list_images = false, quiet = false, no_interpolate = false, explain = false;
    std::string hash;
    std::string output;
};

// The named services and everything they depend on.
void keep_only(compose::Project& p, const std::vector<std::string>& wanted)
{
    std::set<std::string> keep;
    std::vector<std::string> queue = wanted;
    while (!queue.empty()) {
        std::string n = queue.back();
        queue.pop_back();
        if (!keep.insert(n).second)
            continue;
        if (auto it = p.services.find(n); it != p.services.end())
            for (const auto& [dep, _] : it->second.depends_on)
                queue.push_back(dep);
    }
    std::erase_if(p.services, [&](const auto& kv) { return !keep.count(kv.first); });
}

int run(const ConfigFlags& f, const Context& ctx)
{
    if (f.format != "yaml" && f.format != "json")
        return report(Error(Errc::Invalid, "unsupported format \"" + f.format + "\": use yaml or json"), 1);
    ComposeLoadRequest req;
    req.services = f.services;
    req.interpolate = !f.no_interpolate;
    auto loaded = load_compose_project(ctx.compose, req);
    if (!loaded)
        return report(loaded.error(), 1);
    compose::Project& p = loaded->project;
    // A dependency cycle makes the project unusable, so `config` refuses it as docker
    // compose does (the graph finds cycles through depends_on, links and service: refs).
    if (auto graph = compose::ServiceGraph::build(p); !graph)
        return report(graph.error(), 1);
    if (!f.services.empty())
        keep_only(p, f.services);

    std::string out;
    if (f.quiet) {
        return 0;
    } else if (f.list_services) {
        for (const auto& [name, _] : p.services)
            out += name + "\n";
    } else if (f.list_volumes) {
        for (const auto& [name, _] : p.volumes)
            out += name + "\n";
    } else if (f.list_networks) {
        for (const auto& [name, _] : p.networks)
            out += name + "\n";
    } else if (f.list_profiles) {
        for (const auto& pr : p.all_profiles())
            out += pr + "\n";
    } else if (f.list_images) {
        for (const auto& [name, s] : p.services)
            out += s.image_name(p.name) + "\n";
    } else if (!f.hash.empty()) {
        std::set<std::string> wanted;
        if (f.hash != "*") {
            size_t start = 0;
            for (size_t i = 0; i <= f.hash.size(); ++i)
                if (i == f.hash.size() || f.hash[i] == ',') {
                    wanted.insert(f.hash.substr(start, i - start));
                    start = i + 1;
                }
            for (const auto& w : wanted)
                if (!p.services.count(w))
                    return report(Error(Errc::NotFound, "no such service: " + w), 1);
        }
        for (const auto& [name, s] : p.services)
            if (wanted.empty() || wanted.count(name))
                out += name + " " + compose::config_hash(s) + "\n";
    } else if (f.explain) {
        for (const auto& o : loaded->origins)
            out += o.path + "\t" + o.location + (o.note.empty() ? "" : "\t" + o.note) + "\n";
    } else {
        compose::RenderOptions ro;
        ro.escape_dollar = !f.no_interpolate;
        out = f.format == "json" ? compose::to_json(p, ro) : compose::to_yaml(p, ro);
    }

    if (!f.output.empty()) {
        std::ofstream file(f.output, std::ios::binary | std::ios::trunc);
        if (!file || !(file << out))
            return report(Error(Errc::Sys, "write " + f.output + ": cannot write file"), 1);
        return 0;
    }
    std::cout << out;
    return 0;
}

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto f = std::make_shared<ConfigFlags>();
    cmd.add_option("services", f->services, "Services to show (with their dependencies)");
    cmd.add_option("--format", f->format, "Format the output. Values: [yaml | json]");
    cmd.add_flag("--services", f->list_services, "Print the service names, one per line");
    cmd.add_flag("--volumes", f->list_volumes, "Print the volume names, one per line");
    cmd.add_flag("--networks", f->list_networks, "Print the network names, one per line");
    cmd.add_flag("--profiles", f->list_profiles, "Print the profile names, one per line");
    cmd.add_flag("--images", f->list_images, "Print the image names, one per line");
    cmd.add_option("--hash", f->hash, "Print the service config hash, one per line (\"*\" for all)");
    cmd.add_flag("-q,--quiet", f->quiet, "Only validate the configuration, don't print anything");
    cmd.add_flag("--no-interpolate", f->no_interpolate, "Don't interpolate environment variables");
    cmd.add_flag("--explain", f->explain, "Print where each value came from (file:line:col)");
    cmd.add_option("-o,--output", f->output, "Save to file (default to stdout)");
    return [f, &ctx] { return run(*f, ctx); };
}

VerbRegistration reg{{.parent = "compose", .name = "config", .aliases = {}, .help = "Parse, resolve and render compose file in canonical format", .setup = setup}};

} // namespace
} // namespace wharf::cli
