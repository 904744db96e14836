// `wharf inspect [--type container|image|network|volume] [-f FORMAT] [-s] NAME...` and
// `wharf container inspect`: Docker's JSON documents, an array, or one -f line per object.
// Without --type a name is looked up as a container, then an image, a network, a volume.
#include "engine/network/network_store.h"
#include "tools/wharf/container_view.h"
#include "tools/wharf/format.h"
#include "tools/wharf/image_lookup.h"
#include "tools/wharf/network_view.h"
#include "tools/wharf/run_options.h"
#include "tools/wharf/volume_view.h"

#include <iostream>

namespace wharf::cli {
namespace {

using Json = nlohmann::ordered_json;

Result<Json> find_object(const Context& ctx, const std::string& type, const std::string& name)
{
    bool any = type.empty();
    if (any || type == "container") {
        auto eng = TRY(open_engine(ctx));
        if (auto rec = eng.inspect(name))
            return inspect_document(eng, *rec);
        else if (!any || rec.error().code() != Errc::NotFound)
            return std::move(rec).error();
    }
    if (any || type == "image") {
        if (auto img = image_inspect_document(ctx, name))
            return std::move(*img);
        else if (!any || (img.error().code() != Errc::NotFound && img.error().code() != Errc::Invalid))
            return std::move(img).error();
    }
    if (any || type == "network") {
        auto store = TRY(engine::NetworkStore::open(ctx.global.root));
        if (auto n = store.find(name))
            return network_inspect_json(*n);
        else if (!any || n.error().code() != Errc::NotFound)
            return std::move(n).error();
    }
    if (any || type == "volume") {
        auto vols = TRY(engine::VolumeStore::open(ctx.global.root));
        if (auto v = vols.get(name))
            return volume_inspect_json(*v);
        else if (!any)
            return std::move(v).error();
    }
    return Error(Errc::NotFound, "No such object: " + name);
}

template <bool ContainersOnly> VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        std::string format, type;
        bool size = false;
        std::vector<std::string> names;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_option(
        "-f,--format", o->format, "Format output using a custom template ('json' or a Go template)");
    cmd.add_flag("-s,--size", o->size, "Display total file sizes");
    if (!ContainersOnly)
        cmd.add_option(
            "--type", o->type, "Only inspect objects of the given type (container, image, network, volume)");
    cmd.add_option("names", o->names, "NAME|ID [NAME|ID...]")->required();
    return [o, &ctx] {
        std::string type = ContainersOnly ? "container" : o->type;
        if (!type.empty() && type != "container" && type != "image" && type != "network" && type != "volume")
            return report(Error(Errc::Invalid, "\"" + type + "\" is not a valid value for --type"));
        auto all = Json::array();
        int rc = 0;
        for (const auto& n : o->names) {
            auto j = find_object(ctx, type, n);
            if (!j) {
                rc = report(j.error());
                continue;
            }
            if (!o->format.empty() && o->format != "json") {
                auto s = format_one(o->format, *j);
                if (!s)
                    return report(s.error());
                std::cout << *s << "\n";
            } else {
                all.push_back(std::move(*j));
            }
        }
        if (o->format.empty() || o->format == "json")
            std::cout << all.dump(4) << "\n";
        return rc;
    };
}

VerbRegistration reg {{.parent = "container",
    .name = "inspect",
    .aliases = {},
    .help = "Display detailed information on one or more containers",
    .setup = setup<true>}};
VerbRegistration top {{.parent = "",
    .name = "inspect",
    .aliases = {},
    .help = "Return low-level information on Docker objects",
    .setup = setup<false>}};

} // namespace
} // namespace wharf::cli
