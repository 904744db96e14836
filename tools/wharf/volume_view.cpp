#include "tools/wharf/volume_view.h"

namespace wharf::cli {

using Json = nlohmann::ordered_json;

namespace {
std::map<std::string, std::string> labels_of(const engine::Volume& v)
{
    auto labels = v.labels;
    if (v.anonymous)
        labels[kAnonymousVolumeLabel] = "";
    return labels;
}

// "2026-01-02T03:04:05.123456789Z" -> "2026-01-02T03:04:05Z" (Docker shows seconds).
std::string seconds_only(const std::string& t)
{
    auto dot = t.find('.');
    if (dot == std::string::npos)
        return t;
    auto end = t.find_first_not_of("0123456789", dot + 1);
    return t.substr(0, dot) + (end == std::string::npos ? "" : t.substr(end));
}
} // namespace

Json volume_inspect_json(const engine::Volume& v)
{
    Json j;
    j["CreatedAt"] = seconds_only(v.created_at);
    j["Driver"] = v.driver;
    j["Labels"] = Json::object();
    for (const auto& [k, x] : labels_of(v))
        j["Labels"][k] = x;
    j["Mountpoint"] = v.mountpoint;
    j["Name"] = v.name;
    j["Options"] = v.options.empty() ? Json(nullptr) : Json(v.options);
    j["Scope"] = v.scope;
    return j;
}

Json volume_row(const engine::Volume& v)
{
    std::string labels;
    for (const auto& [k, x] : labels_of(v))
        labels += (labels.empty() ? "" : ",") + k + "=" + x;
    Json j;
    j["Availability"] = "N/A";
    j["Driver"] = v.driver;
    j["Group"] = "N/A";
    j["Labels"] = labels;
    j["Links"] = "N/A";
    j["Mountpoint"] = v.mountpoint;
    j["Name"] = v.name;
    j["Scope"] = v.scope;
    j["Size"] = "N/A";
    j["Status"] = "N/A";
    return j;
}

Result<bool> volume_matches(const engine::Volume& v, bool in_use, const std::vector<std::string>& filters)
{
    auto labels = labels_of(v);
    for (const auto& f : filters) {
        auto eq = f.find('=');
        if (eq == std::string::npos)
            return Error(Errc::Invalid, "bad format of filter (expected name=value)");
        std::string key = f.substr(0, eq), value = f.substr(eq + 1);
        if (key == "dangling") {
            if (value != "true" && value != "false" && value != "1" && value != "0")
                return Error(Errc::Invalid, "invalid filter 'dangling=" + value + "'");
            bool want = value == "true" || value == "1";
            if (want == in_use)
                return false;
        } else if (key == "driver") {
            if (v.driver != value)
                return false;
        } else if (key == "name") {
            if (v.name.find(value) == std::string::npos)
                return false;
        } else if (key == "label") {
            auto e2 = value.find('=');
            auto it = labels.find(value.substr(0, e2));
            if (it == labels.end() || (e2 != std::string::npos && it->second != value.substr(e2 + 1)))
                return false;
        } else {
            return Error(Errc::Invalid, "invalid filter '" + key + "'");
        }
    }
    return true;
}

} // namespace wharf::cli
