#include "engine/api/image_config.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

namespace wharf::engine {

using nlohmann::json;

namespace {

Error bad_field(const std::string& field, const std::string& why)
{
    return Error(Errc::Invalid, "invalid image config: " + field + ": " + why);
}

Result<std::string> get_string(const json& obj, const char* key, const std::string& where)
{
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null())
        return std::string();
    if (!it->is_string())
        return bad_field(where + key, "expected a string");
    return it->get<std::string>();
}

Result<std::vector<std::string>> get_strings(const json& obj, const char* key, const std::string& where)
{
    std::vector<std::string> out;
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null())
        return out;
    if (it->is_string()) { // Docker tolerates a single string for Cmd/Entrypoint
        out.push_back(it->get<std::string>());
        return out;
    }
    if (!it->is_array())
        return bad_field(where + key, "expected an array of strings");
    for (const auto& v : *it) {
        if (!v.is_string())
            return bad_field(where + key, "expected an array of strings");
        out.push_back(v.get<std::string>());
    }
    return out;
}

Result<std::vector<std::string>> get_set_keys(const json& obj, const char* key, const std::string& where)
{
    std::vector<std::string> out;
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null())
        return out;
    if (!it->is_object())
        return bad_field(where + key, "expected an object");
    for (const auto& [k, v] : it->items())
        out.push_back(k);
    return out;
}

int64_t get_int(const json& obj, const char* key)
{
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_number())
        return 0;
    return it->get<int64_t>();
}

std::string normalize_port(std::string port)
{
    if (port.find('/') == std::string::npos)
        port += "/tcp";
    return port;
}

Result<ImageDocument> parse_doc(const json& j)
{
    if (!j.is_object())
        return Error(Errc::Invalid, "invalid image config: not a JSON object");
    ImageDocument doc;
    doc.architecture = TRY(get_string(j, "architecture", ""));
    doc.os = TRY(get_string(j, "os", ""));
    doc.variant = TRY(get_string(j, "variant", ""));
    doc.created = TRY(get_string(j, "created", ""));
    doc.author = TRY(get_string(j, "author", ""));
    if (auto it = j.find("config"); it != j.end() && it->is_object()) {
        const json& c = *it;
        ImageConfig& cfg = doc.config;
        const std::string w = "config.";
        cfg.user = TRY(get_string(c, "User", w));
        cfg.env = TRY(get_strings(c, "Env", w));
        cfg.entrypoint = TRY(get_strings(c, "Entrypoint", w));
        cfg.cmd = TRY(get_strings(c, "Cmd", w));
        cfg.working_dir = TRY(get_string(c, "WorkingDir", w));
        for (auto& p : TRY(get_set_keys(c, "ExposedPorts", w)))
            cfg.exposed_ports.push_back(normalize_port(p));
        std::sort(cfg.exposed_ports.begin(), cfg.exposed_ports.end());
        cfg.exposed_ports.erase(std::unique(cfg.exposed_ports.begin(), cfg.exposed_ports.end()),
                                cfg.exposed_ports.end());
        cfg.volumes = TRY(get_set_keys(c, "Volumes", w));
        if (auto l = c.find("Labels"); l != c.end() && l->is_object())
            for (const auto& [k, v] : l->items())
                cfg.labels[k] = v.is_string() ? v.get<std::string>() : v.dump();
        cfg.stop_signal = TRY(get_string(c, "StopSignal", w));
        cfg.shell = TRY(get_strings(c, "Shell", w));
        cfg.on_build = TRY(get_strings(c, "OnBuild", w));
        if (auto h = c.find("Healthcheck"); h != c.end() && h->is_object()) {
            HealthConfig hc;
            hc.test = TRY(get_strings(*h, "Test", w + "Healthcheck."));
            hc.interval_ns = get_int(*h, "Interval");
            hc.timeout_ns = get_int(*h, "Timeout");
            hc.start_period_ns = get_int(*h, "StartPeriod");
            hc.start_interval_ns = get_int(*h, "StartInterval");
            hc.retries = static_cast<int>(get_int(*h, "Retries"));
            cfg.healthcheck = hc;
        }
    }
    if (auto it = j.find("rootfs"); it != j.end() && it->is_object()) {
        auto type = TRY(get_string(*it, "type", "rootfs."));
        if (type != "layers")
            return bad_field("rootfs.type", "must be \"layers\", got \"" + type + "\"");
        for (const auto& d : TRY(get_strings(*it, "diff_ids", "rootfs.")))
            doc.diff_ids.push_back(TRY_CTX(Digest::parse(d), "invalid image config: rootfs.diff_ids"));
    } else {
        return bad_field("rootfs", "missing");
    }
    if (auto it = j.find("history"); it != j.end() && it->is_array()) {
        for (const auto& h : *it) {
            if (!h.is_object())
                return bad_field("history", "expected objects");
            HistoryEntry e;
            e.created = TRY(get_string(h, "created", "history."));
            e.author = TRY(get_string(h, "author", "history."));
            e.created_by = TRY(get_string(h, "created_by", "history."));
            e.comment = TRY(get_string(h, "comment", "history."));
            if (auto el = h.find("empty_layer"); el != h.end() && el->is_boolean())
                e.empty_layer = el->get<bool>();
            doc.history.push_back(std::move(e));
        }
    }
    size_t non_empty = std::count_if(doc.history.begin(), doc.history.end(), [](auto& h) { return !h.empty_layer; });
    if (!doc.history.empty() && non_empty > doc.diff_ids.size())
        return bad_field("history", "more non-empty history entries (" + std::to_string(non_empty) +
                                        ") than layers (" + std::to_string(doc.diff_ids.size()) + ")");
    return doc;
}

json set_object(const std::vector<std::string>& keys)
{
    json o = json::object();
    for (const auto& k : keys)
        o[k] = json::object();
    return o;
}

} // namespace

std::optional<std::string> ImageConfig::env_value(std::string_view key) const
{
    for (const auto& e : env)
        if (e.size() > key.size() && e.compare(0, key.size(), key) == 0 && e[key.size()] == '=')
            return e.substr(key.size() + 1);
    return std::nullopt;
}

void ImageConfig::set_env(std::string_view key, std::string_view value)
{
    std::string entry = std::string(key) + "=" + std::string(value);
    for (auto& e : env)
        if ((e.size() > key.size() && e.compare(0, key.size(), key) == 0 && e[key.size()] == '=') || e == key) {
            e = entry;
            return;
        }
    env.push_back(entry);
}

Result<ImageDocument> parse_image_document(std::string_view text)
{
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {
        return Error(Errc::Invalid, std::string("invalid image config: ") + e.what());
    }
    try {
        return parse_doc(j);
    } catch (const json::exception& e) {
        return Error(Errc::Invalid, std::string("invalid image config: ") + e.what());
    }
}

std::string serialize(const ImageDocument& doc)
{
    json j = json::object();
    j["architecture"] = doc.architecture;
    j["os"] = doc.os;
    if (!doc.variant.empty())
        j["variant"] = doc.variant;
    if (!doc.created.empty())
        j["created"] = doc.created;
    if (!doc.author.empty())
        j["author"] = doc.author;
    const ImageConfig& c = doc.config;
    json cj = json::object();
    if (!c.user.empty())
        cj["User"] = c.user;
    if (!c.env.empty())
        cj["Env"] = c.env;
    if (!c.entrypoint.empty())
        cj["Entrypoint"] = c.entrypoint;
    if (!c.cmd.empty())
        cj["Cmd"] = c.cmd;
    if (!c.working_dir.empty())
        cj["WorkingDir"] = c.working_dir;
    if (!c.exposed_ports.empty())
        cj["ExposedPorts"] = set_object(c.exposed_ports);
    if (!c.volumes.empty())
        cj["Volumes"] = set_object(c.volumes);
    if (!c.labels.empty())
        cj["Labels"] = c.labels;
    if (!c.stop_signal.empty())
        cj["StopSignal"] = c.stop_signal;
    if (!c.shell.empty())
        cj["Shell"] = c.shell;
    if (!c.on_build.empty())
        cj["OnBuild"] = c.on_build;
    if (c.healthcheck)
        cj["Healthcheck"] = healthcheck_json(*c.healthcheck);
    j["config"] = cj;
    json diff = json::array();
    for (const auto& d : doc.diff_ids)
        diff.push_back(d.str());
    j["rootfs"] = {{"type", "layers"}, {"diff_ids", diff}};
    if (!doc.history.empty()) {
        json hist = json::array();
        for (const auto& h : doc.history) {
            json e = json::object();
            if (!h.created.empty())
                e["created"] = h.created;
            if (!h.author.empty())
                e["author"] = h.author;
            if (!h.created_by.empty())
                e["created_by"] = h.created_by;
            if (!h.comment.empty())
                e["comment"] = h.comment;
            if (h.empty_layer)
                e["empty_layer"] = true;
            hist.push_back(e);
        }
        j["history"] = hist;
    }
    return j.dump();
}

namespace {

std::string trim(std::string_view s)
{
    size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos)
        return {};
    size_t e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

/// JSON array form if it parses as an array of strings, else shell form.
std::vector<std::string> exec_or_shell(const std::string& args, const std::vector<std::string>& shell)
{
    if (!args.empty() && args.front() == '[') {
        try {
            json j = json::parse(args);
            if (j.is_array() && std::all_of(j.begin(), j.end(), [](const json& v) { return v.is_string(); }))
                return j.get<std::vector<std::string>>();
        } catch (const json::exception&) {
        }
    }
    std::vector<std::string> out = shell.empty() ? std::vector<std::string>{"/bin/sh", "-c"} : shell;
    out.push_back(args);
    return out;
}

/// Splits shell-like words honouring double and single quotes (for ENV/LABEL/EXPOSE/VOLUME).
std::vector<std::string> words(const std::string& s)
{
    std::vector<std::string> out;
    std::string cur;
    bool in_word = false;
    char quote = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (quote) {
            if (c == quote)
                quote = 0;
            else if (c == '\\' && quote == '"' && i + 1 < s.size())
                cur += s[++i];
            else
                cur += c;
            continue;
        }
        if (c == '"' || c == '\'') {
            quote = c;
            in_word = true;
        } else if (c == '\\' && i + 1 < s.size()) {
            cur += s[++i];
            in_word = true;
        } else if (c == ' ' || c == '\t') {
            if (in_word)
                out.push_back(std::move(cur));
            cur.clear();
            in_word = false;
        } else {
            cur += c;
            in_word = true;
        }
    }
    if (in_word)
        out.push_back(std::move(cur));
    return out;
}

/// KEY=VALUE pairs, or the legacy single "KEY VALUE" form.
Result<std::vector<std::pair<std::string, std::string>>> pairs(const std::string& args, const std::string& line)
{
    std::vector<std::pair<std::string, std::string>> out;
    auto ws = words(args);
    if (ws.empty())
        return Error(Errc::Invalid, "invalid change \"" + line + "\": missing arguments");
    if (ws[0].find('=') == std::string::npos) {
        auto sp = args.find_first_of(" \t");
        if (sp == std::string::npos)
            return Error(Errc::Invalid, "invalid change \"" + line + "\": expected KEY=VALUE or KEY VALUE");
        out.emplace_back(ws[0], trim(args.substr(sp)));
        return out;
    }
    for (auto& w : ws) {
        auto eq = w.find('=');
        if (eq == std::string::npos || eq == 0)
            return Error(Errc::Invalid, "invalid change \"" + line + "\": \"" + w + "\" is not KEY=VALUE");
        out.emplace_back(w.substr(0, eq), w.substr(eq + 1));
    }
    return out;
}

} // namespace

Result<void> apply_change(ImageConfig& config, std::string_view line_view)
{
    std::string line = trim(line_view);
    auto sp = line.find_first_of(" \t");
    std::string instr = line.substr(0, sp);
    std::string args = sp == std::string::npos ? std::string() : trim(line.substr(sp));
    for (auto& c : instr)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto need_args = [&]() -> Result<void> {
        if (args.empty())
            return Error(Errc::Invalid, "invalid change \"" + line + "\": " + instr + " requires an argument");
        return ok();
    };
    if (instr == "CMD") {
        TRY(need_args());
        config.cmd = exec_or_shell(args, config.shell);
    } else if (instr == "ENTRYPOINT") {
        TRY(need_args());
        config.entrypoint = exec_or_shell(args, config.shell);
        config.cmd.clear(); // Docker: a new ENTRYPOINT resets an inherited CMD
    } else if (instr == "ENV") {
        for (auto& [k, v] : TRY(pairs(args, line)))
            config.set_env(k, v);
    } else if (instr == "LABEL") {
        for (auto& [k, v] : TRY(pairs(args, line)))
            config.labels[k] = v;
    } else if (instr == "EXPOSE") {
        TRY(need_args());
        for (auto w : words(args)) {
            std::string port = normalize_port(w);
            auto slash = port.find('/');
            std::string num = port.substr(0, slash), proto = port.substr(slash + 1);
            bool digits = !num.empty() && num.find_first_not_of("0123456789-") == std::string::npos;
            if (!digits || (proto != "tcp" && proto != "udp" && proto != "sctp"))
                return Error(Errc::Invalid, "invalid change \"" + line + "\": invalid port \"" + w + "\"");
            if (std::find(config.exposed_ports.begin(), config.exposed_ports.end(), port) == config.exposed_ports.end())
                config.exposed_ports.push_back(port);
        }
        std::sort(config.exposed_ports.begin(), config.exposed_ports.end());
    } else if (instr == "VOLUME") {
        TRY(need_args());
        std::vector<std::string> vols;
        if (args.front() == '[') {
            try {
                vols = json::parse(args).get<std::vector<std::string>>();
            } catch (const json::exception&) {
                return Error(Errc::Invalid, "invalid change \"" + line + "\": malformed JSON array");
            }
        } else {
            vols = words(args);
        }
        for (auto& v : vols)
            if (std::find(config.volumes.begin(), config.volumes.end(), v) == config.volumes.end())
                config.volumes.push_back(v);
        std::sort(config.volumes.begin(), config.volumes.end());
    } else if (instr == "WORKDIR") {
        TRY(need_args());
        config.working_dir = args.front() == '/' || config.working_dir.empty()
                                 ? (args.front() == '/' ? args : "/" + args)
                                 : config.working_dir + (config.working_dir.back() == '/' ? "" : "/") + args;
    } else if (instr == "USER") {
        TRY(need_args());
        config.user = args;
    } else if (instr == "STOPSIGNAL") {
        TRY(need_args());
        config.stop_signal = args;
    } else if (instr == "ONBUILD") {
        TRY(need_args());
        config.on_build.push_back(args);
    } else {
        return Error(Errc::Invalid, "invalid change \"" + line + "\": " +
                                        (instr.empty() ? std::string("empty instruction")
                                                       : instr + " is not a supported --change instruction"));
    }
    return ok();
}

std::string rfc3339_now()
{
    auto now = std::chrono::system_clock::now();
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
    time_t secs = static_cast<time_t>(ns / 1000000000);
    struct tm tm {};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%09lldZ", static_cast<long long>(ns % 1000000000));
    return std::string(buf) + frac;
}

std::optional<int64_t> parse_rfc3339(std::string_view text)
{
    if (text.size() < 19)
        return std::nullopt;
    struct tm tm {};
    std::string s(text);
    if (!strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm))
        return std::nullopt;
    int64_t t = static_cast<int64_t>(timegm(&tm));
    // Offset: skip fraction, then Z or ±hh:mm.
    size_t i = 19;
    if (i < s.size() && s[i] == '.')
        while (++i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
            ;
    if (i < s.size() && (s[i] == '+' || s[i] == '-') && i + 5 < s.size() + 0) {
        int sign = s[i] == '+' ? 1 : -1;
        int hh = std::atoi(s.substr(i + 1, 2).c_str()), mm = std::atoi(s.substr(i + 4, 2).c_str());
        t -= sign * (hh * 3600 + mm * 60);
    }
    return t;
}

nlohmann::json healthcheck_json(const HealthConfig& health)
{
    nlohmann::json h = nlohmann::json::object();
    h["Test"] = health.test;
    if (health.interval_ns)
        h["Interval"] = health.interval_ns;
    if (health.timeout_ns)
        h["Timeout"] = health.timeout_ns;
    if (health.start_period_ns)
        h["StartPeriod"] = health.start_period_ns;
    if (health.start_interval_ns)
        h["StartInterval"] = health.start_interval_ns;
    if (health.retries)
        h["Retries"] = health.retries;
    return h;
}

} // namespace wharf::engine
