// `wharf compose events [--json] [--since T] [--until T] [SERVICE...]`: the container events
// of this project (one-off `run` containers left out, as docker compose does), followed
// from the event journal (engine/events/event_journal.h). Text lines as docker compose
// prints them (each followed by an empty line: it prints a String() that ends in "\n"
// with Println), or one JSON object per line with --json.
#include "compose/plan/labels.h"
#include "engine/events/event_filter.h"
#include "tools/wharf/compose_session.h"
#include "tools/wharf/event_stream.h"

#include <algorithm>
#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context& ctx)
{
    struct Opts {
        bool json = false;
        std::string since, until;
        std::vector<std::string> services;
    };
    auto o = std::make_shared<Opts>();
    cmd.add_flag("--json", o->json, "Output events as a stream of json objects");
    cmd.add_option("--since", o->since, "Show all events created since timestamp");
    cmd.add_option("--until", o->until, "Stream events until this timestamp");
    cmd.add_option("services", o->services, "Services");
    return [o, &ctx] {
        auto session = open_for_services(ctx, o->services);
        if (!session)
            return report(session.error());
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
        const std::string project = session->project().name;
        auto r = follow_events(ctx.global.root, window, [&](const engine::Event& e) {
            auto attr = [&](const char* key) {
                auto it = e.attributes.find(key);
                return it == e.attributes.end() ? std::string() : it->second;
            };
            if (e.type != "container" || attr(compose::labels::kProject) != project ||
                attr(compose::labels::kOneoff) == "True")
                return true;
            std::string service = attr(compose::labels::kService);
            if (!o->services.empty() && std::find(o->services.begin(), o->services.end(), service) == o->services.end())
                return true;
            if (o->json)
                std::cout << compose_event_json(e, service) << "\n";
            else
                std::cout << compose_event_line(e) << "\n\n";
            std::cout.flush();
            return static_cast<bool>(std::cout);
        });
        if (!r)
            return report(r.error());
        return 0;
    };
}

VerbRegistration reg{{.parent = "compose", .name = "events", .aliases = {},
                      .help = "Receive real time events from containers", .setup = setup}};

} // namespace
} // namespace wharf::cli
