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

/// Whether the YAML output needed the explicit `? key` form (a key over 1,000 characters).
/// Such a key cannot be read back from JSON: JSON keys are YAML implicit keys, which YAML
/// limits to 1,024 characters (go-yaml, hence docker compose, shares the limit).
bool has_explicit_key(const std::string& yaml)
{
    for (size_t at = 0; at < yaml.size();) {
        size_t first = yaml.find_first_not_of(' ', at);
        if (first != std::string::npos && yaml.compare(first, 2, "? ") == 0)
            return true;
        size_t nl = yaml.find('\n', at);
        if (nl == std::string::npos)
            break;
        at = nl + 1;
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
    std::string yaml = to_yaml(r->project);
    check_fixed_point(files, yaml, false);
    if (!has_explicit_key(yaml))
        check_fixed_point(files, to_json(r->project), true);
    return 0;
}
