// Metadata instructions on an image config (see config_ops.h).
#include "engine/build/config_ops.h"

#include <cstdio>

namespace wharf::engine::build {

std::string go_quote(std::string_view s)
{
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\x%02x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

std::string go_quote_list(const std::vector<std::string>& v)
{
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i)
        out += (i ? " " : "") + go_quote(v[i]);
    return out + "]";
}

std::string go_duration(int64_t ns)
{
    if (ns == 0)
        return "0s";
    std::string sign = ns < 0 ? "-" : "";
    uint64_t u = static_cast<uint64_t>(ns < 0 ? -ns : ns);
    auto fraction = [](uint64_t value, uint64_t unit) {
        std::string s = std::to_string(value / unit);
        uint64_t rest = value % unit;
        if (rest) {
            std::string frac = std::to_string(unit + rest).substr(1);
            while (frac.back() == '0')
                frac.pop_back();
            s += "." + frac;
        }
        return s;
    };
    if (u < 1000)
        return sign + std::to_string(u) + "ns";
    if (u < 1'000'000)
        return sign + fraction(u, 1000) + "µs";
    if (u < 1'000'000'000)
        return sign + fraction(u, 1'000'000) + "ms";
    uint64_t secs_total = u / 1'000'000'000, nanos = u % 1'000'000'000;
    uint64_t h = secs_total / 3600, m = (secs_total % 3600) / 60, s = secs_total % 60;
    std::string out = sign;
    if (h)
        out += std::to_string(h) + "h";
    if (h || m)
        out += std::to_string(m) + "m";
    out += fraction(s * 1'000'000'000 + nanos, 1'000'000'000) + "s";
    return out;
}

std::vector<std::string> config_shell(const nlohmann::json& config)
{
    if (config.contains("Shell") && config["Shell"].is_array() && !config["Shell"].empty())
        return config["Shell"].get<std::vector<std::string>>();
    return {"/bin/sh", "-c"};
}

VarMap config_env(const nlohmann::json& config)
{
    VarMap out;
    if (!config.contains("Env") || !config["Env"].is_array())
        return out;
    for (auto& e : config["Env"]) {
        if (!e.is_string())
            continue;
        std::string kv = e.get<std::string>();
        size_t eq = kv.find('=');
        out[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
    }
    return out;
}

void set_env(nlohmann::json& config, const std::string& key, const std::string& value)
{
    if (!config.contains("Env") || !config["Env"].is_array())
        config["Env"] = nlohmann::json::array();
    for (auto& e : config["Env"]) {
        std::string kv = e.is_string() ? e.get<std::string>() : "";
        if (kv.substr(0, kv.find('=')) == key) {
            e = key + "=" + value;
            return;
        }
    }
    config["Env"].push_back(key + "=" + value);
}

std::string apply_metadata(nlohmann::json& doc, const Command& command, bool& cmd_set_in_stage)
{
    nlohmann::json& config = doc["config"];
    if (!config.is_object())
        config = nlohmann::json::object();
    auto pairs_text = [](const std::vector<KeyValue>& pairs) {
        std::string out;
        for (auto& p : pairs)
            out += " " + p.key + "=" + p.value;
        return out;
    };
    return std::visit(
        [&](const auto& c) -> std::string {
            using T = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<T, EnvCmd>) {
                for (auto& p : c.pairs)
                    set_env(config, p.key, p.value);
                return "ENV" + pairs_text(c.pairs);
            } else if constexpr (std::is_same_v<T, LabelCmd>) {
                if (!config.contains("Labels") || !config["Labels"].is_object())
                    config["Labels"] = nlohmann::json::object();
                for (auto& p : c.pairs)
                    config["Labels"][p.key] = p.value;
                return "LABEL" + pairs_text(c.pairs);
            } else if constexpr (std::is_same_v<T, CmdCmd>) {
                auto argv = c.command.resolve(config_shell(config));
                config["Cmd"] = argv;
                cmd_set_in_stage = true;
                return "CMD " + go_quote_list(argv);
            } else if constexpr (std::is_same_v<T, EntrypointCmd>) {
                auto argv = c.command.resolve(config_shell(config));
                config["Entrypoint"] = argv;
                // Setting ENTRYPOINT drops the CMD inherited from the base image.
                if (!cmd_set_in_stage)
                    config["Cmd"] = nullptr;
                return "ENTRYPOINT " + go_quote_list(argv);
            } else if constexpr (std::is_same_v<T, UserCmd>) {
                config["User"] = c.user;
                return "USER " + c.user;
            } else if constexpr (std::is_same_v<T, ExposeCmd>) {
                if (!config.contains("ExposedPorts") || !config["ExposedPorts"].is_object())
                    config["ExposedPorts"] = nlohmann::json::object();
                std::string text;
                std::map<std::string, int> sorted;
                for (auto& p : c.ports) {
                    config["ExposedPorts"][p] = nlohmann::json::object();
                    sorted[p] = 0;
                }
                for (auto& [p, _] : sorted)
                    text += (text.empty() ? "" : " ") + p + ":{}";
                return "EXPOSE map[" + text + "]";
            } else if constexpr (std::is_same_v<T, VolumeCmd>) {
                if (!config.contains("Volumes") || !config["Volumes"].is_object())
                    config["Volumes"] = nlohmann::json::object();
                std::string text;
                for (auto& p : c.paths) {
                    config["Volumes"][p] = nlohmann::json::object();
                    text += (text.empty() ? "" : " ") + p;
                }
                return "VOLUME [" + text + "]";
            } else if constexpr (std::is_same_v<T, StopsignalCmd>) {
                config["StopSignal"] = c.signal;
                return "STOPSIGNAL " + c.signal;
            } else if constexpr (std::is_same_v<T, HealthcheckCmd>) {
                nlohmann::json h = {{"Test", c.test}};
                if (c.interval_ns)
                    h["Interval"] = c.interval_ns;
                if (c.timeout_ns)
                    h["Timeout"] = c.timeout_ns;
                if (c.start_period_ns)
                    h["StartPeriod"] = c.start_period_ns;
                if (c.start_interval_ns)
                    h["StartInterval"] = c.start_interval_ns;
                if (c.retries)
                    h["Retries"] = c.retries;
                config["Healthcheck"] = h;
                char retries[8];
                std::snprintf(retries, sizeof retries, "'\\x%02x'", c.retries & 0xff);
                return "HEALTHCHECK &{" + go_quote_list(c.test) + " " + go_quote(go_duration(c.interval_ns))
                    + " " + go_quote(go_duration(c.timeout_ns)) + " "
                    + go_quote(go_duration(c.start_period_ns)) + " "
                    + go_quote(go_duration(c.start_interval_ns)) + " " + retries + "}";
            } else if constexpr (std::is_same_v<T, ShellCmd>) {
                config["Shell"] = c.shell;
                std::string text;
                for (auto& s : c.shell)
                    text += (text.empty() ? "" : " ") + s;
                return "SHELL [" + text + "]";
            } else if constexpr (std::is_same_v<T, OnbuildCmd>) {
                if (!config.contains("OnBuild") || !config["OnBuild"].is_array())
                    config["OnBuild"] = nlohmann::json::array();
                config["OnBuild"].push_back(c.expression);
                return "ONBUILD " + c.expression;
            } else if constexpr (std::is_same_v<T, MaintainerCmd>) {
                doc["author"] = c.name;
                return "MAINTAINER " + c.name;
            } else {
                return {};
            }
        },
        command);
}

} // namespace wharf::engine::build
