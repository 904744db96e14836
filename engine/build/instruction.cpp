// The instruction model (see instruction.h): per-keyword argument rules.
#include "engine/build/instruction.h"

#include <algorithm>
#include <set>

namespace wharf::engine::build {
namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

Error located(const Instruction& ins, const Dockerfile& df, std::string msg)
{
    return Error(Errc::Invalid, std::move(msg)).at(df.loc(ins.line));
}

Result<void> check_flags(const Instruction& ins, const Dockerfile& df, std::set<std::string_view> allowed)
{
    for (auto& f : ins.flags) {
        if (ins.keyword == "RUN" && f.name == "mount")
            return located(ins, df, "RUN --mount is not supported by wharf");
        if (!allowed.contains(f.name))
            return located(ins, df, ins.keyword + ": unknown flag: --" + f.name);
    }
    return ok();
}

CommandLine command_line(const Instruction& ins)
{
    CommandLine c;
    if (ins.json) {
        c.argv = ins.json_args;
        return c;
    }
    c.shell = true;
    c.text = ins.args;
    return c;
}

Result<Command> interpret_copy(const Instruction& ins, const VarMap& vars, const Dockerfile& df)
{
    bool add = ins.keyword == "ADD";
    if (add)
        TRY(check_flags(ins, df, {"chown", "chmod", "link", "checksum", "keep-git-dir"}));
    else
        TRY(check_flags(ins, df, {"from", "chown", "chmod", "link"}));
    CopyCmd c;
    c.add = add;
    std::vector<std::string> words;
    if (ins.json) {
        for (auto& a : ins.json_args) {
            auto w = expand_word(a, vars, df.escape);
            if (!w)
                return std::move(w).error().context(ins.keyword).at(df.loc(ins.line));
            words.push_back(*w);
        }
    } else {
        auto w = expand_words(ins.args, vars, df.escape);
        if (!w)
            return std::move(w).error().context(ins.keyword).at(df.loc(ins.line));
        words = std::move(*w);
    }
    // A heredoc marker stands for an inline source file; its name is the file name.
    size_t heredoc_index = 0;
    for (size_t k = 0; k + 1 < words.size(); ++k) {
        if (words[k].starts_with("<<") && heredoc_index < ins.heredocs.size()) {
            Heredoc h = ins.heredocs[heredoc_index++];
            if (h.expand) {
                auto body = expand_text(h.content, vars, df.escape);
                if (!body)
                    return std::move(body).error().context(ins.keyword).at(df.loc(ins.line));
                h.content = *body;
            }
            c.heredocs.push_back(std::move(h));
            continue;
        }
        c.sources.push_back(words[k]);
    }
    if (words.size() < 2)
        return located(ins, df, ins.keyword + " requires at least two arguments");
    c.dest = words.back();
    if (auto from = ins.flag("from")) {
        auto w = expand_word(*from, vars, df.escape);
        if (!w)
            return std::move(w).error().context(ins.keyword).at(df.loc(ins.line));
        c.from = *w;
    }
    if (auto chown = ins.flag("chown")) {
        auto w = expand_word(*chown, vars, df.escape);
        if (!w)
            return std::move(w).error().context(ins.keyword).at(df.loc(ins.line));
        c.chown = *w;
    }
    if (auto chmod = ins.flag("chmod")) {
        char* end = nullptr;
        unsigned long mode = std::strtoul(chmod->c_str(), &end, 8);
        if (chmod->empty() || *end != '\0' || mode > 07777)
            return located(ins, df, ins.keyword + ": invalid --chmod=" + *chmod + ": expected an octal mode");
        c.chmod = static_cast<uint32_t>(mode);
    }
    return Command {std::move(c)};
}

std::string normalise_port(std::string p)
{
    if (p.find('/') == std::string::npos)
        return p + "/tcp";
    return lower(p);
}

} // namespace

std::vector<std::string> CommandLine::resolve(const std::vector<std::string>& shell_prefix) const
{
    if (!shell)
        return argv;
    std::vector<std::string> out = shell_prefix;
    out.push_back(text);
    return out;
}

Result<int64_t> parse_duration(std::string_view text)
{
    if (text.empty())
        return Error(Errc::Invalid, "invalid duration \"\"");
    if (text == "0")
        return int64_t {0};
    int64_t total = 0;
    size_t i = 0;
    while (i < text.size()) {
        size_t start = i;
        while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
            ++i;
        if (start == i)
            return Error(Errc::Invalid, "invalid duration \"" + std::string(text) + "\"");
        double number = std::stod(std::string(text.substr(start, i - start)));
        size_t ustart = i;
        while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])))
            ++i;
        std::string_view unit = text.substr(ustart, i - ustart);
        double scale = 0;
        if (unit == "ns")
            scale = 1;
        else if (unit == "us" || unit == "µs")
            scale = 1e3;
        else if (unit == "ms")
            scale = 1e6;
        else if (unit == "s")
            scale = 1e9;
        else if (unit == "m")
            scale = 60e9;
        else if (unit == "h")
            scale = 3600e9;
        else
            return Error(Errc::Invalid,
                "invalid duration \"" + std::string(text) + "\": unknown unit \"" + std::string(unit) + "\"");
        total += static_cast<int64_t>(number * scale);
    }
    return total;
}

Result<Command> interpret(const Instruction& ins, const VarMap& vars, const Dockerfile& df)
{
    const std::string& kw = ins.keyword;
    auto expand_all = [&](std::string_view text) -> Result<std::vector<std::string>> {
        auto w = expand_words(text, vars, df.escape);
        if (!w)
            return std::move(w).error().context(kw).at(df.loc(ins.line));
        return w;
    };
    auto json_or_words = [&]() -> Result<std::vector<std::string>> {
        if (!ins.json)
            return expand_all(ins.args);
        std::vector<std::string> out;
        for (auto& a : ins.json_args) {
            auto w = expand_word(a, vars, df.escape);
            if (!w)
                return std::move(w).error().context(kw).at(df.loc(ins.line));
            out.push_back(*w);
        }
        return out;
    };

    if (kw == "FROM") {
        TRY(check_flags(ins, df, {"platform"}));
        auto words = TRY(expand_all(ins.args));
        if (words.size() != 1 && !(words.size() == 3 && lower(words[1]) == "as"))
            return located(ins, df, "FROM requires either one or three arguments");
        FromCmd f {words[0], words.size() == 3 ? lower(words[2]) : "", ins.flag("platform").value_or("")};
        if (f.image.empty())
            return located(ins, df, "FROM: base name (" + ins.args + ") should not be blank");
        return Command {f};
    }
    if (kw == "COPY" || kw == "ADD")
        return interpret_copy(ins, vars, df);
    if (kw == "RUN") {
        TRY(check_flags(ins, df, {"network", "security"}));
        RunCmd r {command_line(ins), ins.flag("network").value_or("")};
        if (r.network != "" && r.network != "default" && r.network != "none" && r.network != "host")
            return located(
                ins, df, "RUN: unsupported --network=" + r.network + " (expected default, none or host)");
        if (r.command.shell && r.command.text.empty())
            return located(ins, df, "RUN requires at least one argument");
        // A bare heredoc is the script itself; `cmd <<EOF` keeps the heredoc for the shell.
        if (r.command.shell && ins.heredocs.size() == 1 && r.command.text.starts_with("<<")
            && r.command.text.find(' ') == std::string::npos)
            r.command.text = ins.heredocs[0].content;
        else if (r.command.shell)
            for (auto& h : ins.heredocs)
                r.command.text += "\n" + h.content + h.name;
        return Command {r};
    }
    if (kw == "ENV" || kw == "LABEL") {
        auto pairs = parse_key_values(kw, ins.args, vars, df.escape, kw == "ENV");
        if (!pairs)
            return std::move(pairs).error().at(df.loc(ins.line));
        if (kw == "ENV")
            return Command {EnvCmd {std::move(*pairs)}};
        return Command {LabelCmd {std::move(*pairs)}};
    }
    if (kw == "ARG") {
        auto words = split_words(ins.args, df.escape);
        if (!words)
            return std::move(words).error().context(kw).at(df.loc(ins.line));
        if (words->empty())
            return located(ins, df, "ARG requires at least one argument");
        ArgCmd a;
        for (auto& w : *words) {
            size_t eq = w.find('=');
            ArgDecl d {w.substr(0, eq), std::nullopt};
            if (d.name.empty())
                return located(ins, df, "ARG names can not be blank");
            if (eq != std::string::npos) {
                auto v = expand_word(std::string_view(w).substr(eq + 1), vars, df.escape);
                if (!v)
                    return std::move(v).error().context(kw).at(df.loc(ins.line));
                d.default_value = *v;
            }
            a.args.push_back(std::move(d));
        }
        return Command {std::move(a)};
    }
    if (kw == "WORKDIR") {
        auto path = expand_word(ins.args, vars, df.escape);
        if (!path)
            return std::move(path).error().context(kw).at(df.loc(ins.line));
        if (path->empty())
            return located(ins, df, "WORKDIR requires exactly one argument");
        return Command {WorkdirCmd {*path}};
    }
    if (kw == "EXPOSE") {
        auto words = TRY(expand_all(ins.args));
        if (words.empty())
            return located(ins, df, "EXPOSE requires at least one argument");
        ExposeCmd e;
        for (auto& w : words) {
            std::string port = normalise_port(w);
            std::string number = port.substr(0, port.find('/'));
            std::string proto = port.substr(port.find('/') + 1);
            bool digits = !number.empty() && number.find_first_not_of("0123456789-") == std::string::npos
                && number.front() != '-' && number.back() != '-';
            if (!digits || (proto != "tcp" && proto != "udp" && proto != "sctp"))
                return located(ins, df, "EXPOSE: invalid port \"" + w + "\"");
            e.ports.push_back(port);
        }
        return Command {std::move(e)};
    }
    if (kw == "CMD" || kw == "ENTRYPOINT") {
        if (kw == "CMD")
            return Command {CmdCmd {command_line(ins)}};
        return Command {EntrypointCmd {command_line(ins)}};
    }
    if (kw == "USER") {
        auto user = expand_word(ins.args, vars, df.escape);
        if (!user)
            return std::move(user).error().context(kw).at(df.loc(ins.line));
        if (user->empty())
            return located(ins, df, "USER requires exactly one argument");
        return Command {UserCmd {*user}};
    }
    if (kw == "VOLUME") {
        auto paths = TRY(json_or_words());
        if (paths.empty())
            return located(ins, df, "VOLUME requires at least one argument");
        for (auto& p : paths)
            if (p.empty())
                return located(ins, df, "VOLUME specified can not be an empty string");
        return Command {VolumeCmd {std::move(paths)}};
    }
    if (kw == "HEALTHCHECK") {
        TRY(check_flags(ins, df, {"interval", "timeout", "start-period", "start-interval", "retries"}));
        HealthcheckCmd h;
        std::string_view args = ins.args;
        size_t sp = args.find_first_of(" \t");
        std::string type = lower(std::string(args.substr(0, sp)));
        std::string_view rest = sp == std::string_view::npos ? "" : args.substr(sp + 1);
        while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t'))
            rest.remove_prefix(1);
        if (type == "none") {
            if (!rest.empty() || !ins.flags.empty())
                return located(ins, df, "HEALTHCHECK NONE takes no arguments");
            h.test = {"NONE"};
            return Command {std::move(h)};
        }
        if (type != "cmd")
            return located(ins, df, "HEALTHCHECK: unknown type \"" + type + "\" (expected CMD or NONE)");
        if (rest.empty())
            return located(ins, df, "HEALTHCHECK CMD requires a command");
        std::string cmd_line = "CMD " + std::string(rest);
        auto sub = parse_dockerfile(cmd_line, df.path);
        if (sub && sub->instructions[0].json) {
            h.test = {"CMD"};
            for (auto& a : sub->instructions[0].json_args)
                h.test.push_back(a);
        } else {
            h.test = {"CMD-SHELL", std::string(rest)};
        }
        struct DurationFlag {
            const char* name;
            int64_t* out;
        };
        for (DurationFlag f : {DurationFlag {"interval", &h.interval_ns},
                 DurationFlag {"timeout", &h.timeout_ns}, DurationFlag {"start-period", &h.start_period_ns},
                 DurationFlag {"start-interval", &h.start_interval_ns}}) {
            if (auto v = ins.flag(f.name)) {
                auto d = parse_duration(*v);
                if (!d)
                    return located(
                        ins, df, "HEALTHCHECK: --" + std::string(f.name) + ": " + d.error().message());
                *f.out = *d;
            }
        }
        if (auto r = ins.flag("retries")) {
            char* end = nullptr;
            long n = std::strtol(r->c_str(), &end, 10);
            if (r->empty() || *end != '\0' || n < 0)
                return located(
                    ins, df, "HEALTHCHECK: --retries must be a non-negative number, got \"" + *r + "\"");
            h.retries = static_cast<int>(n);
        }
        return Command {std::move(h)};
    }
    if (kw == "SHELL") {
        if (!ins.json)
            return located(ins, df, "SHELL requires the arguments to be in JSON form");
        if (ins.json_args.empty())
            return located(ins, df, "SHELL requires at least one argument");
        return Command {ShellCmd {ins.json_args}};
    }
    if (kw == "STOPSIGNAL") {
        auto sig = expand_word(ins.args, vars, df.escape);
        if (!sig)
            return std::move(sig).error().context(kw).at(df.loc(ins.line));
        if (sig->empty())
            return located(ins, df, "STOPSIGNAL requires exactly one argument");
        return Command {StopsignalCmd {*sig}};
    }
    if (kw == "ONBUILD") {
        std::string_view expr = ins.args;
        std::string trigger = lower(std::string(expr.substr(0, expr.find_first_of(" \t"))));
        if (trigger.empty())
            return located(ins, df, "ONBUILD requires at least one argument");
        if (trigger == "onbuild")
            return located(ins, df, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        if (trigger == "from" || trigger == "maintainer")
            return located(ins, df,
                trigger == "from" ? "FROM isn't allowed as an ONBUILD trigger"
                                  : "MAINTAINER isn't allowed as an ONBUILD trigger");
        return Command {OnbuildCmd {std::string(expr)}};
    }
    if (kw == "MAINTAINER")
        return Command {MaintainerCmd {ins.args}};
    return located(ins, df, "unknown instruction: " + kw);
}

} // namespace wharf::engine::build
