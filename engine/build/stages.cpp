// The multi-stage graph (see stages.h).
#include "engine/build/stages.h"

#include <algorithm>
#include <functional>
#include <sys/utsname.h>

namespace wharf::engine::build {
namespace {

bool all_digits(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

} // namespace

const std::set<std::string, std::less<>>& predefined_args()
{
    static const std::set<std::string, std::less<>> args {"HTTP_PROXY", "http_proxy", "HTTPS_PROXY",
        "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"};
    return args;
}

VarMap platform_args()
{
    utsname u {};
    uname(&u);
    std::string machine = u.machine;
    std::string arch = machine, variant;
    if (machine == "x86_64")
        arch = "amd64";
    else if (machine == "aarch64")
        arch = "arm64";
    else if (machine.starts_with("armv7")) {
        arch = "arm";
        variant = "v7";
    } else if (machine == "i686" || machine == "i386")
        arch = "386";
    std::string platform = "linux/" + arch + (variant.empty() ? "" : "/" + variant);
    VarMap v;
    for (const char* prefix : {"TARGET", "BUILD"}) {
        std::string p = prefix;
        v[p + "PLATFORM"] = platform;
        v[p + "OS"] = "linux";
        v[p + "ARCH"] = arch;
        v[p + "VARIANT"] = variant;
    }
    return v;
}

std::optional<size_t> StageGraph::find(std::string_view name_or_index) const
{
    std::string key = lower(std::string(name_or_index));
    for (const auto& s : stages)
        if (!s.name.empty() && s.name == key)
            return s.index;
    if (all_digits(key)) {
        size_t n = std::stoul(key);
        if (n < stages.size())
            return n;
    }
    return std::nullopt;
}

Result<StageGraph> plan_stages(
    const Dockerfile& df, const std::map<std::string, std::string>& build_args, const std::string& target)
{
    StageGraph g;
    VarMap meta = platform_args();
    size_t i = 0;
    for (; i < df.instructions.size() && df.instructions[i].keyword == "ARG"; ++i) {
        auto cmd = TRY(interpret(df.instructions[i], meta, df));
        for (auto& decl : std::get<ArgCmd>(cmd).args) {
            auto given = build_args.find(decl.name);
            if (given != build_args.end())
                meta[decl.name] = given->second;
            else if (decl.default_value)
                meta[decl.name] = *decl.default_value;
            g.global_args.push_back(decl);
        }
    }
    g.global_vars = meta;
    if (i < df.instructions.size() && df.instructions[i].keyword != "FROM")
        return Error(Errc::Invalid,
            "no build stage in current context: " + df.instructions[i].keyword + " must come after FROM")
            .at(df.loc(df.instructions[i].line));

    for (; i < df.instructions.size(); ++i) {
        const Instruction& ins = df.instructions[i];
        if (ins.keyword == "FROM") {
            Stage s;
            s.index = g.stages.size();
            s.from = std::get<FromCmd>(TRY(interpret(ins, meta, df)));
            s.name = s.from.name;
            s.from_instruction = &ins;
            if (!s.name.empty()) {
                if (g.find(s.name) && !all_digits(s.name))
                    return Error(Errc::Invalid, "duplicate stage name \"" + s.name + "\"")
                        .at(df.loc(ins.line));
            }
            if (auto base = g.find(s.from.image); base && !all_digits(s.from.image)) {
                s.base_stage = *base;
                s.depends_on.insert(*base);
            }
            g.stages.push_back(std::move(s));
            continue;
        }
        Stage& s = g.stages.back();
        s.body.push_back(&ins);
        if (ins.keyword == "COPY") {
            if (auto from = ins.flag("from")) {
                auto name = expand_word(*from, meta, df.escape);
                if (!name)
                    return std::move(name).error().context("COPY").at(df.loc(ins.line));
                if (auto dep = g.find(*name)) {
                    if (*dep == s.index)
                        return Error(
                            Errc::Invalid, "COPY --from=" + *name + ": a stage cannot copy from itself")
                            .at(df.loc(ins.line));
                    s.depends_on.insert(*dep);
                }
            }
        }
    }
    if (g.stages.empty())
        return Error(Errc::Invalid, "the Dockerfile (" + df.path + ") has no FROM instruction");

    g.target = g.stages.size() - 1;
    if (!target.empty()) {
        auto t = g.find(target);
        if (!t || all_digits(target))
            return Error(Errc::NotFound, "target stage \"" + target + "\" could not be found");
        g.target = *t;
    }

    // Depth-first from the target; stages only depend on earlier ones, so no cycles.
    std::vector<bool> seen(g.stages.size(), false);
    std::function<void(size_t)> visit = [&](size_t n) {
        if (seen[n])
            return;
        seen[n] = true;
        for (size_t d : g.stages[n].depends_on)
            visit(d);
        g.order.push_back(n);
    };
    visit(g.target);
    return g;
}

} // namespace wharf::engine::build
