// A small Go text/template interpreter over nlohmann::ordered_json, enough for Docker's
// --format usage: field paths, a few functions, range/if/else/end.
#include "tools/wharf/format.h"
#include "tools/wharf/verb.h"

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace wharf::cli {

using Json = nlohmann::ordered_json;

namespace {

struct Node {
    enum Kind { Text, Action, Range, If } kind = Text;
    std::string text;                 // Text: literal; Action/Range/If: the pipeline
    std::vector<Node> body, else_body; // Range/If
};

std::string unescape(const std::string& f)
{
    std::string out;
    for (size_t i = 0; i < f.size(); ++i) {
        if (f[i] == '\\' && i + 1 < f.size() && (f[i + 1] == 't' || f[i + 1] == 'n')) {
            out += f[i + 1] == 't' ? '\t' : '\n';
            ++i;
        } else {
            out += f[i];
        }
    }
    return out;
}

std::string trim(std::string s)
{
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t") + 1);
    return s;
}

// Parses until {{end}} / {{else}} (returned in `stop`) or the end of the text.
Result<std::vector<Node>> parse(const std::string& t, size_t& pos, std::string* stop)
{
    std::vector<Node> out;
    while (pos < t.size()) {
        size_t open = t.find("{{", pos);
        if (open == std::string::npos) {
            out.push_back({Node::Text, t.substr(pos), {}, {}});
            pos = t.size();
            break;
        }
        if (open > pos)
            out.push_back({Node::Text, t.substr(pos, open - pos), {}, {}});
        size_t close = t.find("}}", open);
        if (close == std::string::npos)
            return Error(Errc::Invalid, "template parsing error: template: :1: unclosed action");
        std::string action = trim(t.substr(open + 2, close - open - 2));
        if (!action.empty() && action.front() == '-')
            action = trim(action.substr(1));
        if (!action.empty() && action.back() == '-')
            action = trim(action.substr(0, action.size() - 1));
        pos = close + 2;
        if (action == "end" || action == "else") {
            if (!stop)
                return Error(Errc::Invalid, "template parsing error: template: :1: unexpected {{" + action + "}}");
            *stop = action;
            return out;
        }
        if (action.rfind("range ", 0) == 0 || action.rfind("if ", 0) == 0) {
            Node n;
            n.kind = action[0] == 'r' ? Node::Range : Node::If;
            n.text = trim(action.substr(action.find(' ')));
            std::string s;
            n.body = TRY(parse(t, pos, &s));
            if (s == "else") {
                n.else_body = TRY(parse(t, pos, &s));
            }
            if (s != "end")
                return Error(Errc::Invalid, "template parsing error: template: :1: unexpected EOF");
            out.push_back(std::move(n));
            continue;
        }
        out.push_back({Node::Action, action, {}, {}});
    }
    if (stop)
        *stop = "";
    return out;
}

std::vector<std::string> tokenize(const std::string& s)
{
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        if (s[i] == ' ' || s[i] == '\t') {
            ++i;
            continue;
        }
        if (s[i] == '"') {
            std::string tok = "\"";
            ++i;
            while (i < s.size() && s[i] != '"') {
                if (s[i] == '\\' && i + 1 < s.size()) {
                    char c = s[++i];
                    tok += c == 'n' ? '\n' : c == 't' ? '\t' : c;
                } else {
                    tok += s[i];
                }
                ++i;
            }
            ++i;
            out.push_back(tok);
            continue;
        }
        size_t j = i;
        while (j < s.size() && s[j] != ' ' && s[j] != '\t')
            ++j;
        out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

std::string to_text(const Json& v)
{
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_null())
        return "<no value>";
    if (v.is_boolean())
        return v.get<bool>() ? "true" : "false";
    if (v.is_number())
        return v.dump();
    if (v.is_array()) {
        std::string out = "[";
        for (size_t i = 0; i < v.size(); ++i)
            out += (i ? " " : "") + to_text(v[i]);
        return out + "]";
    }
    std::string out = "map[";
    bool first = true;
    for (const auto& [k, x] : v.items()) {
        out += (first ? "" : " ") + k + ":" + to_text(x);
        first = false;
    }
    return out + "]";
}

bool truthy(const Json& v)
{
    if (v.is_null())
        return false;
    if (v.is_boolean())
        return v.get<bool>();
    if (v.is_number())
        return v.get<double>() != 0;
    if (v.is_string()) // nlohmann's empty() is false for every string: it is no container
        return !v.get_ref<const std::string&>().empty();
    if (v.is_array() || v.is_object())
        return !v.empty();
    return true;
}

// The fields of Docker's documents that are Go maps rather than structs. Go's text/template
// prints a missing map key (or any key of a nil map) as "<no value>" but fails on a missing
// struct field; the rows here are JSON, so which objects are maps is known by the field's name.
bool is_map_field(const std::string& name)
{
    static const char* const maps[] = {"Labels",   "Attributes",  "Options",   "DriverOpts", "Networks",
                                       "Ports",    "ExposedPorts", "Volumes",  "Containers", "Data",
                                       "Sysctls",  "StorageOpt",  "Annotations", "Status",  "LabelsMap"};
    return std::find(std::begin(maps), std::end(maps), name) != std::end(maps);
}

Result<Json> field(const Json& dot, const std::string& path)
{
    if (path == ".")
        return dot;
    Json cur = dot;
    std::stringstream in(path.substr(1));
    std::string part, parent;
    while (std::getline(in, part, '.')) {
        if (is_map_field(parent) && (cur.is_null() || (cur.is_object() && !cur.contains(part)))) {
            cur = Json(nullptr); // prints "<no value>"; a field of it fails below, as in Go
            parent.clear();
            continue;
        }
        parent = part;
        if (!cur.is_object())
            return Error(Errc::Invalid, "template: :1: can't evaluate field " + part + " in type " +
                                            (cur.is_array() ? "[]interface {}" : cur.is_string() ? "string" : "interface {}"));
        if (!cur.contains(part))
            return Error(Errc::Invalid, "template: :1: can't evaluate field " + part);
        Json next = cur[part];
        cur = std::move(next);
    }
    return cur;
}

Result<Json> eval_arg(const Json& dot, const std::string& tok)
{
    if (!tok.empty() && tok[0] == '"')
        return Json(tok.substr(1));
    if (!tok.empty() && tok[0] == '.')
        return field(dot, tok);
    if (!tok.empty() && (std::isdigit(static_cast<unsigned char>(tok[0])) || tok[0] == '-'))
        return Json(std::stoll(tok));
    return Error(Errc::Invalid, "template: :1: function \"" + tok + "\" not defined");
}

Result<Json> eval(const Json& dot, const std::string& pipeline)
{
    // Pipelines with '|': the left value becomes the last argument of the right function.
    std::vector<std::string> stages;
    {
        std::string cur;
        bool quoted = false;
        for (char c : pipeline) {
            if (c == '"')
                quoted = !quoted;
            if (c == '|' && !quoted) {
                stages.push_back(trim(cur));
                cur.clear();
            } else {
                cur += c;
            }
        }
        stages.push_back(trim(cur));
    }
    std::optional<Json> carried;
    for (const auto& stage : stages) {
        auto toks = tokenize(stage);
        if (toks.empty())
            return Error(Errc::Invalid, "template: :1: missing value for command");
        std::vector<Json> args;
        const std::string& fn = toks[0];
        // A method call on a field path: {{.Label "key"}}.
        if (fn[0] == '.' && toks.size() == 2 && fn.size() > 1) {
            auto last = fn.rfind('.');
            std::string method = fn.substr(last + 1);
            if (method == "Label") {
                Json base = TRY(field(dot, last == 0 ? "." : fn.substr(0, last)));
                Json key = TRY(eval_arg(dot, toks[1]));
                const Json& labels = base.contains("LabelsMap") ? base["LabelsMap"] : base["Labels"];
                carried = labels.is_object() && labels.contains(key.get<std::string>()) ? labels[key.get<std::string>()] : Json("");
                continue;
            }
        }
        if (fn[0] == '.' || fn[0] == '"') {
            if (toks.size() != 1)
                return Error(Errc::Invalid, "template: :1: can't give argument to non-function " + fn);
            carried = TRY(eval_arg(dot, fn));
            continue;
        }
        for (size_t i = 1; i < toks.size(); ++i)
            args.push_back(TRY(eval_arg(dot, toks[i])));
        if (carried)
            args.push_back(*carried);
        auto need = [&](size_t n) -> Result<void> {
            if (args.size() != n)
                return Error(Errc::Invalid, "template: :1: wrong number of args for " + fn + ": want " +
                                                std::to_string(n) + " got " + std::to_string(args.size()));
            return ok();
        };
        if (fn == "json") {
            TRY(need(1));
            carried = Json(args[0].dump());
        } else if (fn == "upper" || fn == "lower" || fn == "title") {
            TRY(need(1));
            std::string s = to_text(args[0]);
            for (size_t i = 0; i < s.size(); ++i) {
                auto c = static_cast<unsigned char>(s[i]);
                if (fn == "upper" || (fn == "title" && (i == 0 || s[i - 1] == ' ')))
                    s[i] = static_cast<char>(std::toupper(c));
                else if (fn == "lower")
                    s[i] = static_cast<char>(std::tolower(c));
            }
            carried = Json(s);
        } else if (fn == "join") {
            TRY(need(2));
            std::string out;
            if (args[0].is_array())
                for (size_t i = 0; i < args[0].size(); ++i)
                    out += (i ? to_text(args[1]) : "") + to_text(args[0][i]);
            carried = Json(out);
        } else if (fn == "index") {
            TRY(need(2));
            if (args[0].is_object() && args[1].is_string())
                carried = args[0].contains(args[1].get<std::string>()) ? args[0][args[1].get<std::string>()] : Json(nullptr);
            else if (args[0].is_array() && args[1].is_number_integer())
                carried = args[0].at(args[1].get<size_t>());
            else
                return Error(Errc::Invalid, "template: :1: error calling index: cannot index " + to_text(args[0]));
        } else if (fn == "len") {
            TRY(need(1));
            carried = Json(args[0].is_string() ? args[0].get<std::string>().size() : args[0].size());
        } else if (fn == "println") {
            std::string out;
            for (size_t i = 0; i < args.size(); ++i)
                out += (i ? " " : "") + to_text(args[i]);
            carried = Json(out + "\n");
        } else if (fn == "print") {
            std::string out;
            for (const auto& a : args)
                out += to_text(a);
            carried = Json(out);
        } else if (fn == "truncate") {
            TRY(need(2));
            std::string s = to_text(args[0]);
            carried = Json(s.substr(0, args[1].get<size_t>()));
        } else {
            return Error(Errc::Invalid, "template parsing error: template: :1: function \"" + fn + "\" not defined");
        }
    }
    return carried.value_or(Json(nullptr));
}

Result<void> render(const std::vector<Node>& nodes, const Json& dot, std::string& out)
{
    for (const auto& n : nodes) {
        switch (n.kind) {
        case Node::Text: out += n.text; break;
        case Node::Action: out += to_text(TRY(eval(dot, n.text))); break;
        case Node::If: {
            Json v = TRY(eval(dot, n.text));
            TRY(render(truthy(v) ? n.body : n.else_body, dot, out));
            break;
        }
        case Node::Range: {
            Json v = TRY(eval(dot, n.text));
            if (!truthy(v)) {
                TRY(render(n.else_body, dot, out));
                break;
            }
            if (v.is_array()) {
                for (const auto& item : v)
                    TRY(render(n.body, item, out));
            } else if (v.is_object()) {
                for (const auto& [k, item] : v.items())
                    TRY(render(n.body, item, out));
            }
            break;
        }
        }
    }
    return ok();
}

Result<std::vector<Node>> compile(const std::string& tmpl)
{
    size_t pos = 0;
    return parse(unescape(tmpl), pos, nullptr);
}

// Header text for a table template: each {{.Field}} becomes its column title.
std::string header_of(const std::string& tmpl, const std::map<std::string, std::string>& headers)
{
    std::string t = unescape(tmpl);
    std::string out;
    std::vector<bool> blocks; // one per open if/range: true once in its else branch
    auto skipping = [&] { return std::find(blocks.begin(), blocks.end(), true) != blocks.end(); };
    size_t pos = 0;
    while (pos < t.size()) {
        size_t open = t.find("{{", pos);
        if (open == std::string::npos) {
            out += t.substr(pos);
            break;
        }
        if (!skipping())
            out += t.substr(pos, open - pos);
        size_t close = t.find("}}", open);
        if (close == std::string::npos)
            break;
        std::string action = trim(t.substr(open + 2, close - open - 2));
        pos = close + 2;
        // Control actions print nothing; only the first branch of an if/range is a header.
        if (action.rfind("if ", 0) == 0 || action.rfind("range ", 0) == 0 || action.rfind("with ", 0) == 0) {
            blocks.push_back(false);
            continue;
        }
        if (action == "else") {
            if (!blocks.empty())
                blocks.back() = true;
            continue;
        }
        if (action == "end") {
            if (!blocks.empty())
                blocks.pop_back();
            continue;
        }
        if (skipping())
            continue;
        auto toks = tokenize(action);
        std::string f;
        for (const auto& tok : toks)
            if (!tok.empty() && tok[0] == '.')
                f = tok.substr(tok.rfind('.') + 1);
        if (toks.size() == 2 && toks[0].size() > 6 && toks[0].substr(toks[0].size() - 6) == ".Label")
            f = toks[1].substr(1);
        auto it = headers.find(f);
        std::string h = it != headers.end() ? it->second : f;
        for (auto& c : h)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        out += h;
    }
    return out;
}

} // namespace

namespace {
// Display width: code points (wide characters are not special-cased, as Go's tabwriter).
size_t width_of(const std::string& s)
{
    size_t n = 0;
    for (char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}
} // namespace

std::string align_columns(const std::string& text, size_t min_width)
{
    std::vector<std::vector<std::string>> lines;
    std::stringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        size_t start = 0;
        for (;;) {
            size_t tab = line.find('\t', start);
            cells.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
            if (tab == std::string::npos)
                break;
            start = tab + 1;
        }
        lines.push_back(std::move(cells));
    }
    // Go's tabwriter: a column is a run of consecutive lines that have a cell terminated by a
    // tab in that position; it pads cells to max(width + padding, minwidth).
    std::string out;
    std::vector<size_t> widths;
    for (const auto& cells : lines)
        for (size_t i = 0; i + 1 < cells.size(); ++i) {
            if (widths.size() <= i)
                widths.push_back(0);
            widths[i] = std::max(widths[i], width_of(cells[i]));
        }
    for (const auto& cells : lines) {
        for (size_t i = 0; i < cells.size(); ++i) {
            out += cells[i];
            if (i + 1 < cells.size())
                out += std::string(std::max<size_t>(widths[i] + 3, min_width) - width_of(cells[i]), ' ');
        }
        out += "\n";
    }
    return out;
}

Result<std::string> format_rows(const std::string& format, const std::vector<Json>& rows, const std::string& default_table,
                                const std::map<std::string, std::string>& headers)
{
    std::string f = format;
    if (f.empty() || f == "table")
        f = "table " + default_table;
    if (f == "json") {
        std::string out;
        for (const auto& r : rows)
            out += r.dump() + "\n";
        return out;
    }
    bool table = f.rfind("table ", 0) == 0;
    std::string tmpl = table ? f.substr(6) : f;
    auto nodes = TRY(compile(tmpl));
    std::string out;
    if (table)
        out += header_of(tmpl, headers) + "\n";
    for (const auto& r : rows) {
        std::string line;
        TRY(render(nodes, r, line));
        out += line + "\n";
    }
    return table ? align_columns(out) : out;
}

Result<std::string> format_one(const std::string& format, const Json& value)
{
    auto nodes = TRY(compile(format));
    std::string out;
    TRY(render(nodes, value, out));
    return out;
}

int print_inspect(const std::vector<std::string>& names, const std::string& format,
                  const std::function<Result<nlohmann::ordered_json>(const std::string&)>& lookup)
{
    auto all = Json::array();
    int rc = 0;
    for (const auto& name : names) {
        auto doc = lookup(name);
        if (!doc) {
            rc = report(doc.error());
            continue;
        }
        if (!format.empty() && format != "json") {
            auto s = format_one(format, *doc);
            if (!s)
                return report(s.error());
            std::cout << *s << "\n";
        } else {
            all.push_back(std::move(*doc));
        }
    }
    if (format.empty() || format == "json")
        std::cout << all.dump(4) << "\n";
    return rc;
}

} // namespace wharf::cli
