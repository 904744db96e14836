// `wharf login [-u USER] [-p PASS | --password-stdin] [SERVER]`: verifies the credentials
// against the registry, then stores them in Docker's config.json (DOCKER_CONFIG honoured), or
// through the credential helper it names (credsStore, credHelpers).
#include "engine/registry/credential_helper.h"
#include "engine/registry/credentials.h"
#include "engine/registry/registry_client.h"
#include "engine/sys/pty.h"
#include "tools/wharf/registry_cli.h"

#include <iostream>
#include <iterator>
#include <unistd.h>

namespace wharf::cli {
namespace {

std::string trim_newline(std::string s)
{
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.pop_back();
    return s;
}

/// Reads a line from the terminal; without echo when `secret`.
std::string prompt(const std::string& text, bool secret)
{
    std::cout << text << std::flush;
    std::string line;
    if (!secret) {
        std::getline(std::cin, line);
        return trim_newline(line);
    }
    auto raw = sys::RawTerminal::enable(0);
    for (;;) {
        char c = 0;
        if (::read(0, &c, 1) != 1 || c == '\n' || c == '\r' || c == 4)
            break;
        if (c == 3) { // Ctrl-C in raw mode
            line.clear();
            break;
        }
        if (c == 127 || c == 8) {
            if (!line.empty())
                line.pop_back();
            continue;
        }
        line += c;
    }
    std::cout << "\n";
    return line;
}

VerbAction setup(CLI::App& cmd, Context&)
{
    auto server = std::make_shared<std::string>();
    auto username = std::make_shared<std::string>();
    auto password = std::make_shared<std::string>();
    auto password_stdin = std::make_shared<bool>(false);
    cmd.add_option("-u,--username", *username, "Username");
    cmd.add_option("-p,--password", *password, "Password or Personal Access Token (PAT)");
    cmd.add_flag("--password-stdin", *password_stdin, "Take the Password or Personal Access Token (PAT) from stdin");
    cmd.add_option("server", *server, "SERVER");
    return [=] {
        std::string user = *username, pass = *password;
        if (*password_stdin) {
            if (!pass.empty())
                return report(Error(Errc::Invalid, "--password and --password-stdin are mutually exclusive"));
            if (user.empty())
                return report(Error(Errc::Invalid, "Must provide --username with --password-stdin"));
            pass = trim_newline(std::string(std::istreambuf_iterator<char>(std::cin), {}));
        } else if (!pass.empty()) {
            std::cerr << "WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n";
        }
        std::string host = registry_host_of(*server);
        if (user.empty() || pass.empty()) {
            if (!::isatty(0))
                return report(Error(Errc::Invalid, "Cannot perform an interactive login from a non TTY device"));
            if (user.empty())
                user = prompt("Username: ", false);
            if (user.empty())
                return report(Error(Errc::Invalid, "Username is required"));
            if (pass.empty())
                pass = prompt("Password: ", true);
            if (pass.empty())
                return report(Error(Errc::Invalid, "Password is required"));
        }
        std::string path = engine::registry::docker_config_path_from_env();
        auto creds_store = engine::registry::CredentialStore::load(path);
        if (!creds_store)
            return report(creds_store.error());
        engine::registry::Credentials creds{user, pass, {}};
        engine::registry::ClientOptions co;
        co.credentials = creds;
        auto client = engine::registry::RegistryClient::connect(registry_api_host(host), co);
        if (!client)
            return report(client.error());
        if (auto v = (*client)->verify_credentials(); !v)
            return report(v.error());
        bool in_file = creds_store->helper_for(host).empty();
        if (auto s = engine::registry::save_credentials(*creds_store, host, creds); !s)
            return report(s.error().context("store credentials"));
        if (in_file)
            std::cerr << "WARNING! Your password will be stored unencrypted in " << path << ".\n\n";
        std::cout << "Login Succeeded\n";
        return 0;
    };
}

VerbRegistration reg{{.parent = "", .name = "login", .aliases = {},
    .help = "Authenticate to a registry", .setup = setup}};

} // namespace
} // namespace wharf::cli
