// `wharf compose ls [-a] [-q] [--format table|json]`: every project with containers on this
// engine, from the com.docker.compose.* labels alone (no compose file needed).
#include "compose/plan/labels.h"
#include "compose/plan/reconcile.h"
#include "tools/wharf/compose_engine.h"
#include "tools/wharf/format.h"

#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        bool all = false, quiet = false;
        std::string format;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_flag("-a,--all", o->all, "Show all stopped Compose projects");
    cmd.add_flag("-q,--quiet", o->quiet, "Only display project names");
    cmd.add_option("--format", o->format, "Format the output. Values: [table | json]");
    return [o, &ctx] {
        auto eng = open_compose_engine(ctx);
        if (!eng)
            return report(eng.error());
        auto records = (*eng)->list_containers({{compose::labels::kProject, ""}});
        if (!records)
            return report(records.error());
        struct Info {
            std::map<std::string, int> states;
            std::set<std::string> files;
        };
        std::map<std::string, Info> projects;
        for (const auto& r : *records) {
            auto& p = projects[compose::label_of(r, compose::labels::kProject)];
            p.states[engine::to_string(r.state.status)]++;
            auto files = compose::label_of(r, compose::labels::kConfigFiles);
            if (!files.empty())
                p.files.insert(files);
        }
        std::vector<nlohmann::ordered_json> rows;
        for (const auto& [name, p] : projects) {
            if (!o->all && !p.states.count("running"))
                continue;
            if (o->quiet) {
                std::cout << name << "\n";
                continue;
            }
            std::string status;
            for (const auto& [st, n] : p.states)
                status += (status.empty() ? "" : ", ") + st + "(" + std::to_string(n) + ")";
            std::string files;
            for (const auto& f : p.files)
                files += (files.empty() ? "" : ",") + f;
            rows.push_back({{"Name", name}, {"Status", status}, {"ConfigFiles", files}});
        }
        if (o->quiet)
            return 0;
        auto text = format_rows(o->format, rows, "{{.Name}}\t{{.Status}}\t{{.ConfigFiles}}",
                                {{"Name", "NAME"}, {"Status", "STATUS"}, {"ConfigFiles", "CONFIG FILES"}});
        if (!text)
            return report(text.error());
        std::cout << *text;
        return 0;
    };
}

VerbRegistration reg{{.parent = "compose", .name = "ls", .aliases = {}, .help = "List running compose projects", .setup = setup}};

} // namespace
} // namespace wharf::cli
