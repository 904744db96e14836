// `wharf compose ps [-a] [-q] [--services] [--status S] [--format F] [SERVICE...]`: the
// project's containers, docker compose's columns; `--format json` one object per line with
// Service, Project, Health, ExitCode and Publishers (URL, TargetPort, PublishedPort, Protocol).
// One list call whatever the number of services.
#include "compose/plan/labels.h"
#include "tools/wharf/compose_session.h"
#include "tools/wharf/container_view.h"
#include "tools/wharf/format.h"

#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

namespace wharf::cli {
namespace {

const std::map<std::string, std::string> kHeaders = {
    {"ID", "CONTAINER ID"}, {"Name", "NAME"}, {"Names", "NAMES"}, {"Image", "IMAGE"}, {"Command", "COMMAND"},
    {"Service", "SERVICE"}, {"Project", "PROJECT"}, {"RunningFor", "CREATED"}, {"CreatedAt", "CREATED AT"},
    {"State", "STATE"}, {"Status", "STATUS"}, {"Ports", "PORTS"}, {"Health", "HEALTH"}, {"ExitCode", "EXIT CODE"}};

nlohmann::ordered_json compose_row(const engine::ContainerRecord& r, bool no_trunc)
{
    auto row = ps_row(r, no_trunc);
    nlohmann::ordered_json j;
    j["Command"] = row["Command"];
    j["CreatedAt"] = row["CreatedAt"];
    j["ExitCode"] = r.state.exit_code;
    j["Health"] = r.state.health.status;
    j["ID"] = row["ID"];
    j["Image"] = row["Image"];
    j["Labels"] = row["Labels"];
    j["LocalVolumes"] = row["LocalVolumes"];
    j["Mounts"] = row["Mounts"];
    j["Name"] = r.config.name;
    j["Names"] = row["Names"];
    j["Networks"] = row["Networks"];
    j["Ports"] = row["Ports"];
    j["Project"] = compose::label_of(r, compose::labels::kProject);
    auto pubs = nlohmann::ordered_json::array();
    std::vector<engine::PublishedPort> ports;
    for (const auto& m : r.state.port_mappings)
        if (auto p = engine::parse_port_mapping(m))
            ports.push_back(*p);
    for (const auto& p : ports)
        pubs.push_back({{"URL", p.host_ip}, {"TargetPort", p.container_port}, {"PublishedPort", p.host_port},
                        {"Protocol", std::string(engine::to_string(p.proto))}});
    j["Publishers"] = pubs;
    j["RunningFor"] = row["RunningFor"];
    j["Service"] = compose::label_of(r, compose::labels::kService);
    j["Size"] = row["Size"];
    j["State"] = row["State"];
    j["Status"] = row["Status"];
    return j;
}

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        bool all = false, quiet = false, services = false, no_trunc = false, orphans = true;
        std::vector<std::string> status, filters, names;
        std::string format;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_flag("-a,--all", o->all, "Show all stopped containers (including those created by the run command)");
    cmd.add_flag("-q,--quiet", o->quiet, "Only display IDs");
    cmd.add_flag("--services", o->services, "Display services");
    cmd.add_flag("--no-trunc", o->no_trunc, "Don't truncate output");
    cmd.add_option("--status", o->status, "Filter services by status. Values: [paused | restarting | removing | running | dead | created | exited]")->type_size(1)->allow_extra_args(false);
    cmd.add_option("--filter", o->filters, "Filter services by a property (supported filters: status)")->type_size(1)->allow_extra_args(false);
    cmd.add_option("--format", o->format, "Format output using a custom template: 'table', 'json' or a Go template");
    cmd.add_option("services", o->names, "Services");
    return [o, &ctx] {
        auto session = open_for_services(ctx, o->names);
        if (!session)
            return report(session.error());
        std::set<std::string> statuses(o->status.begin(), o->status.end());
        for (const auto& f : o->filters) {
            if (f.rfind("status=", 0) != 0)
                return report(Error(Errc::Invalid, "invalid filter '" + f + "'"));
            statuses.insert(f.substr(7));
        }
        auto records = service_containers(*session, o->names, o->all);
        if (!records)
            return report(records.error());
        std::vector<engine::ContainerRecord> shown;
        for (auto& r : *records) {
            std::string st = engine::to_string(r.state.status);
            if (!statuses.empty() ? !statuses.count(st) : (!o->all && !engine::is_active(r)))
                continue;
            shown.push_back(std::move(r));
        }
        if (o->services) {
            std::set<std::string> seen;
            for (const auto& r : shown)
                if (seen.insert(compose::label_of(r, compose::labels::kService)).second)
                    std::cout << compose::label_of(r, compose::labels::kService) << "\n";
            return 0;
        }
        if (o->quiet) {
            for (const auto& r : shown)
                std::cout << (o->no_trunc ? r.id : r.id.substr(0, 12)) << "\n";
            return 0;
        }
        std::vector<nlohmann::ordered_json> rows;
        rows.reserve(shown.size());
        for (const auto& r : shown)
            rows.push_back(compose_row(r, o->no_trunc));
        auto text = format_rows(o->format, rows,
                                "{{.Name}}\t{{.Image}}\t{{.Command}}\t{{.Service}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}",
                                kHeaders);
        if (!text)
            return report(text.error());
        std::cout << *text;
        return 0;
    };
}

VerbRegistration reg{{.parent = "compose", .name = "ps", .aliases = {}, .help = "List containers", .setup = setup}};

} // namespace
} // namespace wharf::cli
