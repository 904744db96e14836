// The Dockerfile parser (see dockerfile.h). Works line by line: directives, then logical
// lines (continuations joined), then heredoc bodies that follow a logical line.
#include "engine/build/dockerfile.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

namespace wharf::engine::build {
namespace {

constexpr std::array k_keywords {"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM",
    "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
    "WORKDIR"};

// Instructions whose leading `--name=value` words are options rather than arguments.
bool takes_flags(std::string_view kw)
{
    return kw == "FROM" || kw == "RUN" || kw == "COPY" || kw == "ADD" || kw == "HEALTHCHECK";
}

bool takes_heredocs(std::string_view kw)
{
    return kw == "RUN" || kw == "COPY" || kw == "ADD";
}

bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view ltrim(std::string_view s)
{
    while (!s.empty() && is_ws(s.front()))
        s.remove_prefix(1);
    return s;
}

std::string_view rtrim(std::string_view s)
{
    while (!s.empty() && is_ws(s.back()))
        s.remove_suffix(1);
    return s;
}

std::string upper(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
    return out;
}

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool is_comment(std::string_view line)
{
    return ltrim(line).starts_with('#');
}

/// Parses `# name=value`; nullopt when the line is not directive-shaped.
std::optional<std::pair<std::string, std::string>> directive(std::string_view line)
{
    line = ltrim(line);
    if (!line.starts_with('#'))
        return std::nullopt;
    line = ltrim(line.substr(1));
    size_t n = 0;
    while (n < line.size() && (std::isalnum(static_cast<unsigned char>(line[n])) || line[n] == '_'))
        ++n;
    if (n == 0)
        return std::nullopt;
    std::string name = lower(line.substr(0, n));
    std::string_view rest = ltrim(line.substr(n));
    if (!rest.starts_with('='))
        return std::nullopt;
    return std::pair {name, std::string(rtrim(ltrim(rest.substr(1))))};
}

/// If `line` ends with the escape character (trailing whitespace allowed), strips it.
bool strip_continuation(std::string& line, char escape)
{
    std::string_view t = rtrim(line);
    if (t.empty() || t.back() != escape)
        return false;
    line.resize(t.size() - 1);
    return true;
}

struct HeredocMarker {
    std::string name;
    bool expand;
    bool strip_tabs;
};

/// Finds `<<WORD`, `<<-WORD`, `<<"WORD"`, `<<'WORD'` markers outside quotes.
std::vector<HeredocMarker> find_heredocs(std::string_view args)
{
    std::vector<HeredocMarker> out;
    char quote = 0;
    for (size_t i = 0; i < args.size(); ++i) {
        char c = args[i];
        if (quote) {
            if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            continue;
        }
        if (c != '<' || i + 1 >= args.size() || args[i + 1] != '<')
            continue;
        size_t j = i + 2;
        if (j < args.size() && args[j] == '<') { // `<<<` is a here-string, not a heredoc
            i = j;
            continue;
        }
        bool strip = j < args.size() && args[j] == '-';
        if (strip)
            ++j;
        char q = 0;
        if (j < args.size() && (args[j] == '"' || args[j] == '\''))
            q = args[j++];
        size_t start = j;
        while (j < args.size()
            && (std::isalnum(static_cast<unsigned char>(args[j])) || args[j] == '_' || args[j] == '-'
                || args[j] == '.'))
            ++j;
        if (j == start)
            continue;
        std::string name(args.substr(start, j - start));
        if (q) {
            if (j >= args.size() || args[j] != q)
                continue;
            ++j;
        }
        out.push_back({std::move(name), q == 0, strip});
        i = j - 1;
    }
    return out;
}

/// Parses a JSON array of strings; nullopt when `text` is not one (then it is shell form).
std::optional<std::vector<std::string>> json_array(std::string_view text)
{
    text = rtrim(ltrim(text));
    if (!text.starts_with('[') || !text.ends_with(']'))
        return std::nullopt;
    try {
        auto j = nlohmann::json::parse(text);
        if (!j.is_array())
            return std::nullopt;
        std::vector<std::string> out;
        for (auto& e : j) {
            if (!e.is_string())
                return std::nullopt;
            out.push_back(e.get<std::string>());
        }
        return out;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

} // namespace

std::optional<std::string> Instruction::flag(std::string_view name) const
{
    std::optional<std::string> out;
    for (auto& f : flags)
        if (f.name == name)
            out = f.value.value_or("");
    return out;
}

bool Instruction::has_flag(std::string_view name) const
{
    return std::any_of(flags.begin(), flags.end(), [&](const Flag& f) { return f.name == name; });
}

wharf::SourceLoc Dockerfile::loc(int line) const
{
    wharf::SourceLoc l {path, line, 0, {}};
    if (line >= 1 && static_cast<size_t>(line) <= lines.size())
        l.line_text = lines[static_cast<size_t>(line - 1)];
    return l;
}

bool is_known_instruction(std::string_view keyword)
{
    return std::find(k_keywords.begin(), k_keywords.end(), keyword) != k_keywords.end();
}

Result<Dockerfile> parse_dockerfile(std::string_view text, std::string path)
{
    Dockerfile df;
    df.path = std::move(path);
    size_t start = 0;
    while (start <= text.size()) {
        size_t nl = text.find('\n', start);
        std::string_view l
            = text.substr(start, nl == std::string_view::npos ? text.size() - start : nl - start);
        if (l.ends_with('\r'))
            l.remove_suffix(1);
        df.lines.emplace_back(l);
        if (nl == std::string_view::npos)
            break;
        start = nl + 1;
    }
    if (!df.lines.empty() && df.lines.back().empty())
        df.lines.pop_back();

    auto fail
        = [&](int line, std::string msg) { return Error(Errc::Invalid, std::move(msg)).at(df.loc(line)); };

    // 1. Parser directives: only at the very top, each at most once.
    size_t i = 0;
    bool seen_escape = false, seen_syntax = false, seen_check = false;
    for (; i < df.lines.size(); ++i) {
        auto d = directive(df.lines[i]);
        if (!d)
            break;
        auto& [name, value] = *d;
        int line = static_cast<int>(i + 1);
        if (name == "escape") {
            if (seen_escape)
                return fail(line, "only one escape parser directive can be used");
            if (value != "\\" && value != "`")
                return fail(line, "invalid escape token '" + value + "' does not match ` or \\");
            df.escape = value[0];
            seen_escape = true;
        } else if (name == "syntax") {
            if (seen_syntax)
                return fail(line, "only one syntax parser directive can be used");
            df.syntax = value;
            seen_syntax = true;
        } else if (name == "check") {
            if (seen_check)
                return fail(line, "only one check parser directive can be used");
            seen_check = true;
        } else {
            break; // an ordinary comment that looks like a directive ends the directives
        }
    }

    // 2. Instructions.
    while (i < df.lines.size()) {
        std::string_view first = ltrim(df.lines[i]);
        if (first.empty() || first.starts_with('#')) {
            ++i;
            continue;
        }
        Instruction ins;
        ins.line = static_cast<int>(i + 1);
        std::string logical(first);
        bool more = strip_continuation(logical, df.escape);
        ++i;
        while (more && i < df.lines.size()) {
            std::string next = df.lines[i++];
            if (is_comment(next) || ltrim(next).empty())
                continue; // BuildKit skips comments and empty lines inside continuations
            more = strip_continuation(next, df.escape);
            logical += next;
        }
        ins.end_line = static_cast<int>(i);

        std::string_view rest = logical;
        size_t kw_end = 0;
        while (kw_end < rest.size() && !is_ws(rest[kw_end]))
            ++kw_end;
        ins.keyword = upper(rest.substr(0, kw_end));
        rest = ltrim(rest.substr(kw_end));
        if (!is_known_instruction(ins.keyword))
            return fail(ins.line, "unknown instruction: " + std::string(logical.substr(0, kw_end)));

        if (takes_flags(ins.keyword)) {
            while (rest.starts_with("--")) {
                size_t end = 0;
                while (end < rest.size() && !is_ws(rest[end]))
                    ++end;
                std::string_view word = rest.substr(2, end - 2);
                if (word.empty())
                    break; // a lone `--` is an argument
                size_t eq = word.find('=');
                Flag f {std::string(word.substr(0, eq)), std::nullopt};
                if (eq != std::string_view::npos)
                    f.value = std::string(word.substr(eq + 1));
                ins.flags.push_back(std::move(f));
                rest = ltrim(rest.substr(end));
            }
        }
        ins.args = std::string(rtrim(rest));
        ins.original = std::string(rtrim(logical));
        if (auto arr = json_array(ins.args)) {
            ins.json = true;
            ins.json_args = std::move(*arr);
        }

        if (!ins.json && takes_heredocs(ins.keyword)) {
            for (auto& m : find_heredocs(ins.args)) {
                Heredoc h {m.name, {}, m.expand, m.strip_tabs};
                bool closed = false;
                while (i < df.lines.size()) {
                    std::string body = df.lines[i++];
                    if (m.strip_tabs)
                        body.erase(0,
                            body.find_first_not_of('\t') == std::string::npos ? body.size()
                                                                              : body.find_first_not_of('\t'));
                    if (body == m.name) {
                        closed = true;
                        break;
                    }
                    h.content += body + "\n";
                }
                if (!closed)
                    return fail(ins.line, ins.keyword + ": unterminated heredoc <<" + m.name);
                ins.heredocs.push_back(std::move(h));
            }
            ins.end_line = static_cast<int>(i);
        }
        df.instructions.push_back(std::move(ins));
    }
    if (df.instructions.empty())
        return Error(Errc::Invalid, "the Dockerfile (" + df.path + ") cannot be empty");
    return df;
}

} // namespace wharf::engine::build
