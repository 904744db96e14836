// Glue between the CLI's compose options and compose::load_project (see compose_project.h).
#include "tools/wharf/compose_project.h"

#include <iostream>
#include <unistd.h>

extern char** environ;

namespace wharf::cli {

std::map<std::string, std::string> process_environment()
{
    std::map<std::string, std::string> env;
    for (char** e = environ; e && *e; ++e) {
        std::string kv = *e;
        auto eq = kv.find('=');
        if (eq != std::string::npos)
            env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
    }
    return env;
}

std::string current_directory()
{
    std::string buf(4096, '\0');
    if (!::getcwd(buf.data(), buf.size()))
        return "/";
    buf.resize(std::char_traits<char>::length(buf.c_str()));
    return buf;
}

void print_compose_warnings(const std::vector<std::string>& warnings)
{
    for (const auto& w : warnings)
        std::cerr << "WARN[0000] " << w << '\n';
}

Result<compose::LoadedProject> load_compose_project(const ComposeOptions& options, const ComposeLoadRequest& request)
{
    compose::LoadOptions o;
    o.files = options.files;
    o.project_name = options.project_name;
    o.project_directory = options.project_directory;
    o.profiles = options.profiles;
    o.env_files = options.env_files;
    o.services = request.services;
    o.environment = process_environment();
    o.working_dir = current_directory();
    o.interpolate = request.interpolate;
    o.resolve_paths = request.resolve_paths;
    auto loaded = compose::load_project(o);
    if (loaded && request.print_warnings)
        print_compose_warnings(loaded->warnings);
    return loaded;
}

} // namespace wharf::cli
