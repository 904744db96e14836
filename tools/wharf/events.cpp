// `wharf events [--since T] [--until T] [-f key=value]... [--format F]` (and `system
// events`): Docker's event stream, read from wharf's event journal (there is no daemon:
// see engine/events/event_journal.h). Without --since only new events are shown; with
// --until the command ends once that time has passed.
#include "engine/events/event_filter.h"
#include "tools/wharf/event_stream.h"
#include "tools/wharf/format.h"
#include "tools/wharf/verb.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        std::string since, until, format;
        std::vector<std::string> filters;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_option("-f,--filter", o->filters, "Filter output based on conditions provided")->type_size(1)->allow_extra_args(false);
    cmd.add_option("--format", o->format, "Format output using a custom template");
    cmd.add_option("--since", o->since, "Show all events created since timestamp");
    cmd.add_option("--until", o->until, "Stream events until this timestamp");
    return [o, &ctx] {
        engine::EventFilter filter;
        for (const auto& f : o->filters)
            if (auto r = engine::add_event_filter(filter, f); !r)
                return report(r.error());
        EventWindow window;
        int64_t now = engine::unix_nanos_now();
        for (auto [text, slot] : {std::pair{&o->since, &window.since}, std::pair{&o->until, &window.until}}) {
            if (text->empty())
                continue;
            auto t = engine::parse_event_time(*text, now);
            if (!t)
                return report(t.error());
            *slot = *t;
        }
        Result<void> failed = ok();
        auto r = follow_events(ctx.global.root, window, [&](const engine::Event& e) {
            if (!engine::event_matches(filter, e))
                return true;
            if (o->format.empty()) {
                std::cout << docker_event_line(e) << "\n";
            } else {
                auto doc = nlohmann::ordered_json::parse(engine::encode_event(e));
                if (o->format == "json") {
                    std::cout << doc.dump() << "\n";
                } else {
                    auto line = format_one(o->format, doc);
                    if (!line) {
                        failed = std::move(line).error();
                        return false;
                    }
                    std::cout << *line << "\n";
                }
            }
            std::cout.flush();
            return static_cast<bool>(std::cout);
        });
        if (!r)
            return report(r.error());
        if (!failed)
            return report(failed.error());
        return 0;
    };
}

constexpr const char* kHelp = "Get real time events from the server";
VerbRegistration r1{{.parent = "", .name = "events", .aliases = {}, .help = kHelp, .setup = setup}};
VerbRegistration r2{{.parent = "system", .name = "events", .aliases = {}, .help = kHelp, .setup = setup}};

} // namespace
} // namespace wharf::cli
