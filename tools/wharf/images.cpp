// `wharf images [REPOSITORY[:TAG]]` and `wharf image ls`: REPOSITORY TAG IMAGE ID CREATED SIZE.
#include "tools/wharf/format.h"
#include "tools/wharf/image_cli.h"
#include "tools/wharf/image_rows.h"

#include <ctime>
#include <iostream>
#include <set>

namespace wharf::cli {
namespace {

const std::map<std::string, std::string> kHeaders = {{"ID", "IMAGE ID"}, {"Repository", "REPOSITORY"},
    {"Tag", "TAG"}, {"Digest", "DIGEST"}, {"CreatedSince", "CREATED"}, {"CreatedAt", "CREATED AT"},
    {"Size", "SIZE"}, {"Containers", "CONTAINERS"}, {"VirtualSize", "SIZE"}, {"SharedSize", "SHARED SIZE"},
    {"UniqueSize", "UNIQUE SIZE"}};

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        bool all = false, quiet = false, no_trunc = false, digests = false;
        std::vector<std::string> filters;
        std::string format, reference;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_flag("-a,--all", o->all, "Show all images (default hides intermediate images)");
    cmd.add_flag("-q,--quiet", o->quiet, "Only show image IDs");
    cmd.add_flag("--no-trunc", o->no_trunc, "Don't truncate output");
    cmd.add_flag("--digests", o->digests, "Show digests");
    cmd.add_option("-f,--filter", o->filters, "Filter output based on conditions provided")
        ->type_size(1)
        ->allow_extra_args(false);
    cmd.add_option("--format", o->format,
        "Format output using a custom template ('table', 'table TEMPLATE', 'json', or a Go template)");
    cmd.add_option("reference", o->reference, "REPOSITORY[:TAG]");
    return [o, &ctx] {
        auto store = open_image_store(ctx);
        if (!store)
            return report(store.error());
        auto images = store->list();
        if (!images)
            return report(images.error());
        ImageListOptions lo;
        lo.no_trunc = o->no_trunc;
        lo.digests = o->digests || o->format.find("{{.Digest}}") != std::string::npos;
        lo.filters = o->filters;
        lo.reference = o->reference;
        auto rows = image_rows(*images, lo, static_cast<int64_t>(std::time(nullptr)));
        if (!rows)
            return report(rows.error());
        if (o->quiet) {
            // One line per image, as Docker: an image with several tags is listed once.
            std::set<std::string> seen;
            for (const auto& r : *rows) {
                auto id = r["ID"].get<std::string>();
                if (seen.insert(id).second)
                    std::cout << id << "\n";
            }
            return 0;
        }
        std::string table = "{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if "
                            ".CreatedSince}}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}";
        if (o->digests)
            table = "{{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{if "
                    ".CreatedSince}}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}";
        std::string format = o->format;
        if (o->digests && format.rfind("table ", 0) == 0 && format.find("{{.Digest}}") == std::string::npos)
            format += "\t{{.Digest}}";
        auto text = format_rows(format, *rows, table, kHeaders);
        if (!text)
            return report(text.error());
        std::cout << *text;
        return 0;
    };
}

VerbRegistration reg {
    {.parent = "image", .name = "ls", .aliases = {"list"}, .help = "List images", .setup = setup}};
VerbRegistration top {{.parent = "", .name = "images", .aliases = {}, .help = "List images", .setup = setup}};

} // namespace
} // namespace wharf::cli
