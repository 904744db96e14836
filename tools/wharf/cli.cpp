#include "tools/wharf/verb.h"

#include "tools/wharf/port_dnat_helper.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>

namespace wharf::cli {

std::vector<Verb>& registered_verbs()
{
    static std::vector<Verb> verbs;
    return verbs;
}

VerbRegistration::VerbRegistration(Verb verb) { registered_verbs().push_back(std::move(verb)); }

namespace {
// CLI11 hands a `--` inside a subcommand up to the parent app; Docker's `run -- IMAGE …` needs
// it to end the verb's own options. run_cli() swaps the first `--` for this marker, which
// CLI11 takes as a positional and so stops a prefix command there.
const std::string kEndOfOptions = "\x01--";
} // namespace

void take_command_line(CLI::App& cmd, std::vector<std::string>& out, size_t min_args)
{
    cmd.prefix_command();
    cmd.parse_complete_callback([&cmd, &out, min_args] {
        out = cmd.remaining();
        if (!out.empty() && out.front() == kEndOfOptions)
            out.erase(out.begin());
        else if (!out.empty() && out.front().size() > 1 && out.front()[0] == '-')
            throw CLI::ExtrasError(cmd.get_name(), {out.front()});
        if (out.size() < min_args) {
            std::string path;
            for (auto* a = &cmd; a; a = a->get_parent())
                path = a->get_name() + (path.empty() ? "" : " " + path);
            throw CLI::ArgumentMismatch(
                                  "\"" + path + "\" requires at least " + std::to_string(min_args) +
                                      " argument" + (min_args == 1 ? "" : "s") + ".");
        }
    });
}

int report(const Error& error, int exit_code)
{
    if (error.loc())
        std::cerr << error.render();
    else
        std::cerr << "Error: " << error.render();
    std::cerr.flush();
    return exit_code;
}

namespace {

// Management groups that hold verbs (docker's `image ls`, `network create`, …).
const std::map<std::string, std::string> kGroups = {
    {"builder", "Manage builds"},
    {"compose", "Define and run multi-container applications"},
    {"container", "Manage containers"},
    {"image", "Manage images"},
    {"network", "Manage networks"},
    {"volume", "Manage volumes"},
    {"system", "Manage wharf"},
};

std::string command_path(const CLI::App* app)
{
    std::string path;
    for (auto* a = app; a; a = a->get_parent())
        path = a->get_name() + (path.empty() ? "" : " " + path);
    return path;
}

struct Leaf {
    VerbAction action;
    int usage_exit_code = 1;
};

/// Turns CLI11's parse error into Docker's wording: the problem, then where to get help.
int usage_error(const CLI::ParseError& e, const CLI::App* where, int exit_code)
{
    std::string what = e.what();
    if (auto* extras = dynamic_cast<const CLI::ExtrasError*>(&e)) {
        (void)extras;
        // CLI11: "The following argument was not expected: --frob"
        auto colon = what.rfind(": ");
        std::string arg = colon == std::string::npos ? what : what.substr(colon + 2);
        if (!arg.empty() && arg[0] == '-')
            what = "unknown flag: " + arg;
        else
            what = "unexpected argument: " + arg;
    }
    std::cerr << what << "\nSee '" << command_path(where) << " --help'.\n";
    return exit_code;
}

// The first word that is not a global option ("ps" in `wharf --root /x ps -a`); "" if none.
std::string first_command(const std::vector<std::string>& args)
{
    for (size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        if (a == "--root") {
            ++i;
            continue;
        }
        if (a.empty() || a[0] == '-')
            continue;
        return a;
    }
    return {};
}

} // namespace

int run_cli(std::vector<std::string> args)
{
    std::string prog = args.empty() ? "wharf" : args[0];
    if (auto slash = prog.rfind('/'); slash != std::string::npos)
        prog = prog.substr(slash + 1);
    args.erase(args.begin(), args.begin() + (args.empty() ? 0 : 1));
    if (!args.empty() && args[0] == kPortDnatVerb)
        return run_port_dnat_helper({args.begin() + 1, args.end()});
    // Installed as `compose` (or `docker-compose`), the binary is `wharf compose`.
    if (prog == "compose" || prog == "docker-compose")
        args.insert(args.begin(), "compose");

    Context ctx;
    const char* env_root = std::getenv("WHARF_ROOT");
    ctx.global.root = env_root ? env_root : "/var/lib/wharf";
    const char* env_run = std::getenv("WHARF_RUN_ROOT");
    ctx.global.run_root = env_run ? env_run : "/run/wharf";

    CLI::App app{"wharf: a Compose-first, daemonless container orchestrator", "wharf"};
    app.set_version_flag("-v,--version", std::string("wharf version ") + WHARF_VERSION);
    app.add_option("--root", ctx.global.root, "Root of the engine's state")->envname("WHARF_ROOT");
    app.add_flag("-D,--debug", ctx.global.debug, "Enable debug output");
    app.require_subcommand(1);
    app.fallthrough(false);

    std::map<std::string, CLI::App*> groups;
    auto group = [&](const std::string& name) -> CLI::App* {
        if (name.empty())
            return &app;
        if (auto it = groups.find(name); it != groups.end())
            return it->second;
        auto help = kGroups.count(name) ? kGroups.at(name) : name;
        CLI::App* g = app.add_subcommand(name, help);
        g->require_subcommand(1);
        if (name == "compose") {
            auto& c = ctx.compose;
            g->add_option("-f,--file", c.files, "Compose configuration files")->type_size(1)->allow_extra_args(false);
            g->add_option("-p,--project-name", c.project_name, "Project name");
            g->add_option("--project-directory", c.project_directory, "Alternate working directory");
            g->add_option("--profile", c.profiles, "Profile to enable")->type_size(1)->allow_extra_args(false);
            g->add_option("--env-file", c.env_files, "Alternate environment file")->type_size(1)->allow_extra_args(false);
            g->add_option("--progress", c.progress, "Progress output: auto, tty, plain, json, quiet");
            g->add_option("--ansi", c.ansi, "Control ANSI output: never, always, auto");
            g->add_flag("--dry-run", c.dry_run, "Show what would be done without doing it");
            g->add_flag("--compatibility", c.compatibility, "Run in backward compatibility mode");
        }
        groups[name] = g;
        return g;
    };

    group("compose"); // always present: `compose --help` works before any compose verb exists
    // Only the verbs the command line can reach are set up: building every verb's options
    // costs milliseconds, paid by each CLI call.
    std::string named = first_command(args);
    bool known = std::any_of(registered_verbs().begin(), registered_verbs().end(), [&](const Verb& v) {
        return v.parent == named || (v.parent.empty() && v.name == named);
    });
    std::map<const CLI::App*, Leaf> leaves;
    for (const auto& verb : registered_verbs()) {
        if (known && verb.parent != named && !(verb.parent.empty() && verb.name == named))
            continue;
        CLI::App* parent = group(verb.parent);
        CLI::App* cmd = parent->add_subcommand(verb.name, verb.help);
        for (const auto& alias : verb.aliases)
            cmd->alias(alias);
        leaves[cmd] = Leaf{verb.setup(*cmd, ctx), verb.usage_exit_code};
    }

    // The deepest subcommand named on the command line (for help hints and exit codes).
    auto deepest = [&]() -> const CLI::App* {
        const CLI::App* at = &app;
        for (;;) {
            auto subs = at->get_subcommands();
            if (subs.empty())
                return at;
            at = subs.front();
        }
    };

    if (auto dd = std::find(args.begin(), args.end(), "--"); dd != args.end())
        *dd = kEndOfOptions;
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        std::cout << e.what() << '\n';
        return 0;
    } catch (const CLI::ParseError& e) {
        const CLI::App* where = deepest();
        int code = 1;
        if (auto it = leaves.find(where); it != leaves.end())
            code = it->second.usage_exit_code;
        if (dynamic_cast<const CLI::RequiredError*>(&e) && !leaves.count(where)) {
            // A group named alone (`wharf`, `wharf image`): an unknown flag first, else its help.
            auto rest = where->remaining();
            if (!rest.empty() && rest.front().size() > 1 && rest.front()[0] == '-') {
                std::cerr << "unknown flag: " << rest.front() << "\nSee '" << command_path(where) << " --help'.\n";
                return 1;
            }
            std::cerr << where->help();
            return 1;
        }
        return usage_error(e, where, code);
    }

    auto it = leaves.find(deepest());
    if (it == leaves.end() || !it->second.action)
        return report(Error(Errc::Internal, "no action for \"" + command_path(deepest()) + "\""));
    return it->second.action();
}

int run_cli(int argc, char** argv) { return run_cli(std::vector<std::string>(argv, argv + argc)); }

} // namespace wharf::cli
