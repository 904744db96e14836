// `wharf search [--limit N] [--no-trunc] [--format F] REGISTRY/TERM`: the repositories of a
// registry's catalog (/v2/_catalog) whose name contains TERM, in Docker's columns. Docker
// Hub's search API (a different, v1 endpoint) is not implemented: name a registry.
#include "engine/registry/pull.h"
#include "engine/registry/registry_client.h"
#include "tools/wharf/image_cli.h"
#include "tools/wharf/registry_cli.h"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <nlohmann/json.hpp>

namespace wharf::cli {
namespace {

std::string lower(std::string s)
{
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool looks_like_registry(const std::string& s)
{
    return s == "localhost" || s.find('.') != std::string::npos || s.find(':') != std::string::npos;
}

VerbAction setup(CLI::App& cmd, Context&)
{
    auto term = std::make_shared<std::string>();
    auto limit = std::make_shared<int>(25);
    auto no_trunc = std::make_shared<bool>(false);
    auto format = std::make_shared<std::string>();
    cmd.add_option("--limit", *limit, "Max number of search results");
    cmd.add_flag("--no-trunc", *no_trunc, "Don't truncate output");
    cmd.add_option("--format", *format, "Pretty-print search using a Go template");
    cmd.add_option("term", *term, "REGISTRY/TERM")->required();
    return [=] {
        std::string registry, needle;
        if (auto slash = term->find('/'); slash != std::string::npos && looks_like_registry(term->substr(0, slash))) {
            registry = term->substr(0, slash);
            needle = term->substr(slash + 1);
        } else if (term->find('/') == std::string::npos && looks_like_registry(*term)) {
            registry = *term;
        } else {
            return report(Error(Errc::Invalid, "search \"" + *term +
                                                   "\": Docker Hub search is not supported; name a registry: "
                                                   "wharf search REGISTRY/TERM (e.g. 127.0.0.1:5000/app)"));
        }
        if (*limit < 1 || *limit > 100)
            return report(Error(Errc::Invalid, "limit " + std::to_string(*limit) + " is outside the range of [1, 100]"));
        engine::registry::ClientOptions co;
        auto creds = engine::registry::credentials_from_docker_config(registry);
        if (!creds)
            return report(creds.error());
        co.credentials = *creds;
        auto client = engine::registry::RegistryClient::connect(registry, co);
        if (!client)
            return report(client.error());
        auto repos = (*client)->catalog();
        if (!repos)
            return report(repos.error());
        std::vector<std::string> hits;
        for (auto& r : *repos)
            if (needle.empty() || lower(r).find(lower(needle)) != std::string::npos)
                hits.push_back(registry + "/" + r);
        std::sort(hits.begin(), hits.end());
        if (hits.size() > static_cast<size_t>(*limit))
            hits.resize(static_cast<size_t>(*limit));
        if (!format->empty()) {
            for (auto& h : hits) {
                nlohmann::json row = {{"Name", h}, {"Description", ""}, {"StarCount", "0"}, {"IsOfficial", ""},
                                      {"IsAutomated", ""}};
                auto line = render_format(*format, row);
                if (!line)
                    return report(line.error());
                std::cout << *line << "\n";
            }
            return 0;
        }
        std::vector<std::vector<std::string>> rows = {{"NAME", "DESCRIPTION", "STARS", "OFFICIAL"}};
        for (auto& h : hits)
            rows.push_back({h, "", "0", ""});
        print_table(rows);
        return 0;
    };
}

VerbRegistration reg{{.parent = "", .name = "search", .aliases = {},
    .help = "Search a registry for images", .setup = setup}};

} // namespace
} // namespace wharf::cli
