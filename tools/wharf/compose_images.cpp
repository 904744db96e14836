// `wharf compose images [-q] [--format table|json] [SERVICE...]`: the images the project's
// containers use (CONTAINER REPOSITORY TAG IMAGE ID SIZE).
#include "compose/plan/labels.h"
#include "engine/api/image_reference.h"
#include "engine/image/image_store.h"
#include "tools/wharf/compose_session.h"
#include "tools/wharf/format.h"
#include "tools/wharf/human.h"

#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        bool quiet = false;
        std::string format;
        std::vector<std::string> services;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_flag("-q,--quiet", o->quiet, "Only display IDs");
    cmd.add_option("--format", o->format, "Format the output. Values: [table | json]");
    cmd.add_option("services", o->services, "Services");
    return [o, &ctx] {
        auto session = open_for_services(ctx, o->services);
        if (!session)
            return report(session.error());
        auto records = service_containers(*session, o->services);
        if (!records)
            return report(records.error());
        auto store = engine::ImageStore::open(ctx.global.root);
        std::vector<nlohmann::ordered_json> rows;
        std::set<std::string> ids;
        for (const auto& r : *records) {
            std::string id = r.config.image_id;
            std::string hex = id.substr(id.find(':') == std::string::npos ? 0 : id.find(':') + 1);
            if (o->quiet) {
                if (ids.insert(hex).second)
                    std::cout << hex.substr(0, 12) << "\n";
                continue;
            }
            std::string repo = r.config.image, tag;
            if (auto ref = engine::ImageReference::parse(r.config.image)) {
                repo = ref->familiar_name();
                tag = ref->tag;
            }
            std::string size;
            if (store)
                if (auto d = Digest::parse(id))
                    if (auto img = store->get(*d))
                        size = human_size(static_cast<double>(img->size), 3);
            rows.push_back({{"ContainerName", r.config.name}, {"Repository", repo}, {"Tag", tag},
                            {"ID", hex.substr(0, 12)}, {"Size", size}});
        }
        if (o->quiet)
            return 0;
        auto text = format_rows(o->format, rows, "{{.ContainerName}}\t{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.Size}}",
                                {{"ContainerName", "CONTAINER"}, {"Repository", "REPOSITORY"}, {"Tag", "TAG"},
                                 {"ID", "IMAGE ID"}, {"Size", "SIZE"}});
        if (!text)
            return report(text.error());
        std::cout << *text;
        return 0;
    };
}

VerbRegistration reg{{.parent = "compose", .name = "images", .aliases = {}, .help = "List images used by the created containers", .setup = setup}};

} // namespace
} // namespace wharf::cli
