// See credential_helper.h.
#include "engine/registry/credential_helper.h"

#include "engine/sys/run_program.h"

#include <nlohmann/json.hpp>

namespace wharf::engine::registry {
namespace {

constexpr const char* kTokenUser = "<token>";

std::string trimmed(std::string s)
{
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' '))
        s.pop_back();
    return s;
}

} // namespace

Result<std::string> CredentialHelper::call(
    const std::string& verb, const std::string& input, bool* not_found) const
{
    std::string what = program() + " " + verb;
    auto r = sys::run_program({program(), verb}, input, m_timeout);
    if (!r)
        return std::move(r).error().context(what);
    if (r->exit_code != 0) {
        std::string text = trimmed(r->out.empty() ? r->err : r->out);
        // docker-credential-helpers' ErrCredentialsNotFound, printed on stdout.
        if (not_found && text == "credentials not found") {
            *not_found = true;
            return std::string();
        }
        return Error(Errc::Io,
            what + ": exit status " + std::to_string(r->exit_code) + (text.empty() ? "" : ": " + text));
    }
    return std::move(r->out);
}

Result<std::optional<Credentials>> CredentialHelper::get(const std::string& server_url) const
{
    bool not_found = false;
    std::string out = TRY(call("get", server_url, &not_found));
    if (not_found)
        return std::optional<Credentials>();
    try {
        auto j = nlohmann::json::parse(out);
        Credentials c;
        std::string user = j.value("Username", ""), secret = j.value("Secret", "");
        if (user == kTokenUser)
            c.identity_token = secret;
        else
            c = Credentials {user, secret, {}};
        if (c.username.empty() && c.password.empty() && c.identity_token.empty())
            return std::optional<Credentials>();
        return std::optional<Credentials>(c);
    } catch (const nlohmann::json::exception& e) {
        return Error(Errc::Io, program() + " get: invalid output: " + e.what());
    }
}

Result<void> CredentialHelper::store(const std::string& server_url, const Credentials& c) const
{
    nlohmann::json j;
    j["ServerURL"] = server_url;
    bool token = !c.identity_token.empty();
    j["Username"] = token ? std::string(kTokenUser) : c.username;
    j["Secret"] = token ? c.identity_token : c.password;
    TRY(call("store", j.dump(), nullptr));
    return ok();
}

Result<void> CredentialHelper::erase(const std::string& server_url) const
{
    bool not_found = false;
    TRY(call("erase", server_url, &not_found));
    return ok();
}

Result<std::optional<Credentials>> find_credentials(const CredentialStore& store, const std::string& host)
{
    if (std::string helper = store.helper_for(host); !helper.empty())
        return CredentialHelper(helper).get(credential_key(host));
    return store.get(host);
}

Result<void> save_credentials(CredentialStore& store, const std::string& host, const Credentials& c)
{
    if (std::string helper = store.helper_for(host); !helper.empty()) {
        TRY(CredentialHelper(helper).store(credential_key(host), c));
        store.erase(host); // no secret of this host stays in the file
        store.set_empty(host);
    } else {
        store.set(host, c);
    }
    return store.save();
}

Result<bool> remove_credentials(CredentialStore& store, const std::string& host)
{
    bool removed = store.erase(host);
    if (std::string helper = store.helper_for(host); !helper.empty()) {
        TRY(CredentialHelper(helper).erase(credential_key(host)));
        removed = true;
    }
    if (removed)
        TRY(store.save());
    return removed;
}

} // namespace wharf::engine::registry
