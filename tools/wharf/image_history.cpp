// `wharf image history IMAGE` / `wharf history`: IMAGE CREATED CREATED BY SIZE COMMENT.
#include "tools/wharf/format.h"
#include "tools/wharf/image_cli.h"
#include "tools/wharf/image_rows.h"

#include <ctime>
#include <iostream>

namespace wharf::cli {
namespace {

const std::map<std::string, std::string> kHeaders = {{"ID", "IMAGE"}, {"CreatedSince", "CREATED"},
    {"CreatedAt", "CREATED AT"}, {"CreatedBy", "CREATED BY"}, {"Size", "SIZE"}, {"Comment", "COMMENT"}};

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        bool quiet = false, no_trunc = false, human = true;
        std::string format, image, platform;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_flag("-q,--quiet", o->quiet, "Only show image IDs");
    cmd.add_flag("--no-trunc", o->no_trunc, "Don't truncate output");
    cmd.add_flag("-H,--human", o->human,
        "Print sizes and dates in human readable format (--human=false for bytes and RFC 3339)");
    cmd.add_option("--format", o->format,
        "Format output using a custom template ('table', 'table TEMPLATE', 'json', or a Go template)");
    cmd.add_option("--platform", o->platform, "Show history for the given platform");
    cmd.add_option("image", o->image, "IMAGE")->required();
    return [o, &ctx] {
        auto store = open_image_store(ctx);
        if (!store)
            return report(store.error());
        auto img = store->resolve(o->image);
        if (!img)
            return report(img.error());
        auto rows = history_rows(*img, {o->no_trunc, o->human}, static_cast<int64_t>(std::time(nullptr)));
        if (o->quiet) {
            for (const auto& r : rows)
                std::cout << r["ID"].get<std::string>() << "\n";
            return 0;
        }
        std::string table = o->human ? "{{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"
                                     : "{{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
        auto text = format_rows(o->format, rows, table, kHeaders);
        if (!text)
            return report(text.error());
        std::cout << *text;
        return 0;
    };
}

VerbRegistration reg {{.parent = "image",
    .name = "history",
    .aliases = {},
    .help = "Show the history of an image",
    .setup = setup}};
VerbRegistration top {
    {.parent = "", .name = "history", .aliases = {}, .help = "Show the history of an image", .setup = setup}};

} // namespace
} // namespace wharf::cli
