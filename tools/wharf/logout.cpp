// `wharf logout [SERVER]`: forgets the credentials stored for a registry.
#include "engine/registry/credential_helper.h"
#include "engine/registry/credentials.h"
#include "tools/wharf/registry_cli.h"

#include <iostream>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context&)
{
    auto server = std::make_shared<std::string>();
    cmd.add_option("server", *server, "SERVER");
    return [=] {
        std::string host = registry_host_of(*server);
        auto store = engine::registry::CredentialStore::load(engine::registry::docker_config_path_from_env());
        if (!store)
            return report(store.error());
        std::string shown = host == "docker.io" ? engine::registry::credential_key(host) : host;
        auto removed = engine::registry::remove_credentials(*store, host);
        if (!removed)
            return report(removed.error().context("logout " + shown));
        std::cout << (*removed ? "Removing login credentials for " : "Not logged in to ") << shown << "\n";
        return 0;
    };
}

VerbRegistration reg{{.parent = "", .name = "logout", .aliases = {},
    .help = "Log out from a registry", .setup = setup}};

} // namespace
} // namespace wharf::cli
