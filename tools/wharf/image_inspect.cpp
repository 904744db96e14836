// `wharf image inspect`: Docker's JSON for one or more images.
#include "tools/wharf/image_cli.h"
#include "tools/wharf/image_lookup.h"

#include <iostream>
#include <nlohmann/json.hpp>

namespace wharf::cli {

Result<nlohmann::ordered_json> image_inspect_document(const Context& ctx, const std::string& name)
{
    auto store = TRY(open_image_store(ctx));
    auto img = TRY(store.resolve(name));
    return nlohmann::ordered_json::parse(image_inspect_json(img).dump());
}

namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    auto format = std::make_shared<std::string>();
    auto images = std::make_shared<std::vector<std::string>>();
    cmd.add_option("-f,--format", *format, "Format output using a custom template ('json' or a Go template)");
    cmd.add_option("image", *images, "IMAGE [IMAGE...]")->required();
    return [format, images, &ctx] {
        auto store = open_image_store(ctx);
        if (!store)
            return report(store.error());
        nlohmann::json all = nlohmann::json::array();
        int code = 0;
        for (auto& name : *images) {
            auto img = store->resolve(name);
            if (!img) {
                code = report(img.error());
                continue;
            }
            auto j = image_inspect_json(*img);
            if (!format->empty() && *format != "json") {
                auto s = render_format(*format, j);
                if (!s)
                    return report(s.error());
                std::cout << *s << "\n";
            } else {
                all.push_back(j);
            }
        }
        if (format->empty() || *format == "json")
            if (!all.empty() || code == 0)
                std::cout << all.dump(4) << "\n";
        return code;
    };
}

VerbRegistration reg{{.parent = "image", .name = "inspect", .aliases = {},
    .help = "Display detailed information on one or more images", .setup = setup}};

} // namespace
} // namespace wharf::cli
