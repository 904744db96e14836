#include "tools/wharf/image_cli.h"

#include <ctime>
#include <unistd.h>

namespace wharf::cli {

Result<engine::ImageStore> open_image_store(const Context& ctx) { return engine::ImageStore::open(ctx.global.root); }

std::string time_ago(int64_t t)
{
    if (t <= 0)
        return "N/A";
    int64_t d = static_cast<int64_t>(std::time(nullptr)) - t;
    if (d < 0)
        d = 0;
    auto plural = [](int64_t n, const char* unit) { return std::to_string(n) + " " + unit + (n == 1 ? "" : "s"); };
    std::string s;
    if (d < 1)
        s = "Less than a second";
    else if (d == 1)
        s = "1 second";
    else if (d < 60)
        s = plural(d, "second");
    else if (d / 60 == 1)
        s = "About a minute";
    else if (d < 3600)
        s = plural(d / 60, "minute");
    else if (d / 3600 == 1)
        s = "About an hour";
    else if (d < 48 * 3600)
        s = plural(d / 3600, "hour");
    else if (d < 7 * 24 * 3600 * 2)
        s = plural(d / 86400, "day");
    else if (d < 30 * 24 * 3600 * 3)
        s = plural(d / (7 * 86400), "week");
    else if (d < 365 * 24 * 3600 * 2)
        s = plural(d / (30 * 86400), "month");
    else
        s = plural(d / (365 * 86400), "year");
    return s + " ago";
}

int64_t created_seconds(const engine::Image& img)
{
    return engine::parse_rfc3339(img.document.created).value_or(0);
}

bool stdout_is_terminal() { return ::isatty(1) == 1; }

} // namespace wharf::cli

#include <iostream>
#include <nlohmann/json.hpp>

namespace wharf::cli {

using nlohmann::json;

namespace {
json string_list_or_null(const std::vector<std::string>& v) { return v.empty() ? json(nullptr) : json(v); }
json set_or_null(const std::vector<std::string>& v)
{
    if (v.empty())
        return nullptr;
    json o = json::object();
    for (auto& k : v)
        o[k] = json::object();
    return o;
}
} // namespace

json image_inspect_json(const engine::Image& img)
{
    const auto& c = img.config;
    json config = {{"Hostname", ""},
                   {"Domainname", ""},
                   {"User", c.user},
                   {"AttachStdin", false},
                   {"AttachStdout", false},
                   {"AttachStderr", false},
                   {"Tty", false},
                   {"OpenStdin", false},
                   {"StdinOnce", false},
                   {"Env", string_list_or_null(c.env)},
                   {"Cmd", string_list_or_null(c.cmd)},
                   {"Image", ""},
                   {"Volumes", set_or_null(c.volumes)},
                   {"WorkingDir", c.working_dir},
                   {"Entrypoint", string_list_or_null(c.entrypoint)},
                   {"OnBuild", string_list_or_null(c.on_build)},
                   {"Labels", c.labels.empty() ? json(nullptr) : json(c.labels)}};
    if (!c.exposed_ports.empty())
        config["ExposedPorts"] = set_or_null(c.exposed_ports);
    if (!c.stop_signal.empty())
        config["StopSignal"] = c.stop_signal;
    if (!c.shell.empty())
        config["Shell"] = c.shell;
    if (c.healthcheck)
        config["Healthcheck"] = engine::healthcheck_json(*c.healthcheck);
    json tags = json::array(), digests = json::array();
    for (auto& t : img.repo_tags) {
        auto r = engine::ImageReference::parse(t);
        tags.push_back(r ? r->familiar() : t);
    }
    for (auto& d : img.repo_digests) {
        auto r = engine::ImageReference::parse(d);
        digests.push_back(r ? r->familiar() : d);
    }
    json layers = json::array();
    std::string lower;
    for (auto it = img.layers.rbegin(); it != img.layers.rend(); ++it) {
        layers.insert(layers.begin(), it->diff_id.str());
        lower += (lower.empty() ? "" : ":") + it->dir;
    }
    std::string comment;
    if (!img.document.history.empty())
        comment = img.document.history.back().comment;
    json out = {{"Id", img.id.str()},
                {"RepoTags", tags},
                {"RepoDigests", digests},
                {"Parent", ""},
                {"Comment", comment},
                {"Created", img.document.created},
                {"DockerVersion", ""},
                {"Author", img.document.author},
                {"Config", config},
                {"Architecture", img.document.architecture},
                {"Os", img.document.os},
                {"Size", img.size},
                {"GraphDriver", {{"Name", "overlay2"}, {"Data", {{"LowerDir", lower}}}}},
                {"RootFS", {{"Type", "layers"}, {"Layers", layers}}},
                {"Metadata", {{"LastTagTime", "0001-01-01T00:00:00Z"}}},
                {"Descriptor",
                 {{"mediaType", img.manifest_media_type}, {"digest", img.manifest_digest.str()}}}};
    if (!img.document.variant.empty())
        out["Variant"] = img.document.variant;
    return out;
}

namespace {

Result<json> lookup(const json& root, const std::string& path)
{
    if (path == ".")
        return root;
    const json* cur = &root;
    size_t i = 1;
    while (i <= path.size()) {
        size_t dot = path.find('.', i);
        std::string key = path.substr(i, dot == std::string::npos ? std::string::npos : dot - i);
        if (!cur->is_object() || !cur->contains(key))
            return Error(Errc::Invalid, "template: can't evaluate field " + key);
        cur = &(*cur)[key];
        if (dot == std::string::npos)
            break;
        i = dot + 1;
    }
    return *cur;
}

std::string plain(const json& v)
{
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_null())
        return "<no value>";
    if (v.is_array()) {
        std::string s = "[";
        for (size_t i = 0; i < v.size(); ++i)
            s += (i ? " " : "") + plain(v[i]);
        return s + "]";
    }
    if (v.is_object()) {
        std::string s = "map[";
        bool first = true;
        for (auto& [k, x] : v.items()) {
            s += (first ? "" : " ") + k + ":" + plain(x);
            first = false;
        }
        return s + "]";
    }
    return v.dump();
}

} // namespace

Result<std::string> render_format(const std::string& format, const json& value)
{
    if (format == "json")
        return value.dump();
    std::string out;
    size_t i = 0;
    while (i < format.size()) {
        size_t open = format.find("{{", i);
        if (open == std::string::npos) {
            out += format.substr(i);
            break;
        }
        out += format.substr(i, open - i);
        size_t close = format.find("}}", open);
        if (close == std::string::npos)
            return Error(Errc::Invalid, "template: unclosed action in \"" + format + "\"");
        std::string action = format.substr(open + 2, close - open - 2);
        auto b = action.find_first_not_of(' '), e = action.find_last_not_of(' ');
        action = b == std::string::npos ? "" : action.substr(b, e - b + 1);
        if (action.starts_with("json ")) {
            std::string path = action.substr(5);
            out += TRY(lookup(value, path)).dump();
        } else if (action.starts_with(".")) {
            out += plain(TRY(lookup(value, action)));
        } else {
            return Error(Errc::Invalid, "template: unsupported action \"{{" + action + "}}\"");
        }
        i = close + 2;
    }
    // Docker's `\t` and `\n` escapes in --format strings.
    std::string unescaped;
    for (size_t k = 0; k < out.size(); ++k) {
        if (out[k] == '\\' && k + 1 < out.size() && (out[k + 1] == 't' || out[k + 1] == 'n')) {
            unescaped += out[k + 1] == 't' ? '\t' : '\n';
            ++k;
        } else {
            unescaped += out[k];
        }
    }
    return unescaped;
}

void print_table(const std::vector<std::vector<std::string>>& rows)
{
    std::vector<size_t> width;
    for (auto& r : rows)
        for (size_t c = 0; c < r.size(); ++c) {
            if (width.size() <= c)
                width.push_back(0);
            width[c] = std::max(width[c], r[c].size());
        }
    for (auto& r : rows) {
        std::string line;
        for (size_t c = 0; c < r.size(); ++c) {
            line += r[c];
            if (c + 1 < r.size())
                line += std::string(std::max<size_t>(width[c] + 3, 10) - r[c].size(), ' ');
        }
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        std::cout << line << "\n";
    }
}

} // namespace wharf::cli
