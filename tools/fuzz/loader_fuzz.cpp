// libFuzzer target over the compose loader: any bytes as a compose.yaml (with a .env and an
// included/extended file beside it, so those phases run too). The loader must either fail
// with an error or succeed; when it succeeds, `config` output must load again and be a fixed
// point, in YAML and in JSON. Anything else (crash, sanitizer report, abort) is a bug.
//
// Input layout: the main file, optionally followed by "\n#--- other.yaml\n" and the content
// of other.yaml (so the fuzzer can grow include/extends cases).
#include "compose/loader/loader.h"
#include "compose/model/serialize.h"

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace wharf;
using namespace wharf::compose;

namespace {

LoadOptions options_for(const std::map<std::string, std::string>& files)
{
    LoadOptions o;
    o.files = {"/p/compose.yaml"};
    o.working_dir = "/p";
    o.environment = {{"HOME", "/home/u"}, {"TAG", "1.0"}, {"EMPTY", ""}};
    o.read_file = [files](const std::string& path) -> Result<std::string> {
        auto it = files.find(path);
        if (it == files.end())
            return Error(Errc::NotFound, "open " + path + ": No such file or directory");
        return it->second;
    };
    o.file_exists = [files](const std::string& path) { return files.count(path) > 0; };
    o.read_stdin = []() -> Result<std::string> { return std::string(); };
    return o;
}

[[noreturn]] void fail(const char* what, const std::string& a, const std::string& b)
{
    std::fprintf(stderr, "loader_fuzz: %s\n--- first\n%s\n--- second\n%s\n", what, a.c_str(), b.c_str());
    std::abort();
}

void check_fixed_point(std::map<std::string, std::string> files, const std::string& text, bool json)
{
    files["/p/compose.yaml"] = text;
    auto again = load_project(options_for(files));
    if (!again)
        fail(json ? "JSON config output does not load" : "YAML config output does not load", text,
            again.error().render());
    std::string text2 = json ? to_json(again->project) : to_yaml(again->project);
    if (text2 != text)
        fail(json ? "JSON config is not a fixed point" : "YAML config is not a fixed point", text, text2);
}

/// Whether the JSON text has an object key over 1,000 characters as written (escapes
/// included). Such a key cannot be read back: JSON keys are YAML implicit keys, which YAML
/// limits to 1,024 characters (go-yaml, hence docker compose, shares the limit). The YAML
/// output writes such keys in the explicit `? key` form instead.
bool json_has_long_key(const std::string& json)
{
    for (size_t at = 0; at < json.size();) {
        size_t nl = json.find('\n', at);
        size_t end = nl == std::string::npos ? json.size() : nl;
        size_t q = json.find_first_not_of(' ', at);
        if (q != std::string::npos && q < end && json[q] == '"') {
            size_t i = q + 1;
            while (i < end && json[i] != '"')
                i += json[i] == '\\' ? 2 : 1;
            if (i < end && i + 1 < end && json[i + 1] == ':' && i - q > 1000)
                return true;
        }
        at = end + 1;
    }
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    std::string input(reinterpret_cast<const char*>(data), size);
    std::map<std::string, std::string> files;
    const std::string sep = "\n#--- other.yaml\n";
    if (auto at = input.find(sep); at != std::string::npos) {
        files["/p/other.yaml"] = input.substr(at + sep.size());
        input.resize(at);
    }
    files["/p/compose.yaml"] = input;
    files["/p/.env"] = "FROM_DOTENV=yes\nTAG=2.0\n";
    auto r = load_project(options_for(files));
    if (!r) {
        (void)r.error().render(); // rendering the caret line must not crash either
        return 0;
    }
    files.erase("/p/.env"); // the output is already interpolated
    check_fixed_point(files, to_yaml(r->project), false);
    std::string json = to_json(r->project);
    if (!json_has_long_key(json))
        check_fixed_point(files, json, true);
    return 0;
}
