// A small JSON-Schema validator for the keywords schema/compose.schema.json uses.
#include "compose/loader/schema.h"

#include "compose/loader/path.h"
#include "compose/loader/units.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <regex>
#include <set>

namespace wharf::compose::loader {

namespace {

enum TypeBit : unsigned {
    TNull = 1,
    TBool = 2,
    TInt = 4,
    TNumber = 8,
    TString = 16,
    TArray = 32,
    TObject = 64,
};

struct Schema {
    unsigned types = 0; // 0 = any
    std::map<std::string, const Schema*, std::less<>> properties;
    std::vector<std::pair<std::regex, const Schema*>> patterns;
    bool additional_allowed = true;
    const Schema* additional = nullptr;
    std::vector<std::string> required;
    const Schema* items = nullptr;
    std::vector<std::string> enum_values;
    std::vector<const Schema*> one_of;
    std::optional<double> minimum;
    std::optional<double> maximum;
    std::optional<std::regex> pattern;
    std::string pattern_text;
    bool unique = false;
    bool duration = false;
    std::string ref; // resolved lazily into target
    const Schema* target = nullptr;
};

class Compiler {
public:
    explicit Compiler(const nlohmann::json& root) : m_root(root) {}

    const Schema* compile(const nlohmann::json& j)
    {
        Schema& s = m_pool.emplace_back();
        if (j.contains("$ref")) {
            s.ref = j["$ref"].get<std::string>();
            m_refs.push_back(&s);
            return &s;
        }
        if (auto t = j.find("type"); t != j.end()) {
            auto add = [&](const std::string& n) {
                if (n == "null") s.types |= TNull;
                else if (n == "boolean") s.types |= TBool;
                else if (n == "integer") s.types |= TInt;
                else if (n == "number") s.types |= TNumber | TInt;
                else if (n == "string") s.types |= TString;
                else if (n == "array") s.types |= TArray;
                else if (n == "object") s.types |= TObject;
            };
            if (t->is_array())
                for (const auto& x : *t)
                    add(x.get<std::string>());
            else
                add(t->get<std::string>());
        }
        if (auto p = j.find("properties"); p != j.end())
            for (auto it = p->begin(); it != p->end(); ++it)
                s.properties[it.key()] = compile(it.value());
        if (auto p = j.find("patternProperties"); p != j.end())
            for (auto it = p->begin(); it != p->end(); ++it)
                s.patterns.emplace_back(std::regex(it.key(), std::regex::ECMAScript | std::regex::optimize),
                    compile(it.value()));
        if (auto a = j.find("additionalProperties"); a != j.end()) {
            if (a->is_boolean())
                s.additional_allowed = a->get<bool>();
            else
                s.additional = compile(*a);
        }
        if (auto r = j.find("required"); r != j.end())
            s.required = r->get<std::vector<std::string>>();
        if (auto i = j.find("items"); i != j.end())
            s.items = compile(*i);
        if (auto e = j.find("enum"); e != j.end())
            for (const auto& v : *e)
                s.enum_values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
        if (auto o = j.find("oneOf"); o != j.end())
            for (const auto& v : *o)
                s.one_of.push_back(compile(v));
        if (auto m = j.find("minimum"); m != j.end())
            s.minimum = m->get<double>();
        if (auto m = j.find("maximum"); m != j.end())
            s.maximum = m->get<double>();
        if (auto pt = j.find("pattern"); pt != j.end()) {
            s.pattern_text = pt->get<std::string>();
            s.pattern.emplace(s.pattern_text, std::regex::ECMAScript | std::regex::optimize);
        }
        if (auto u = j.find("uniqueItems"); u != j.end())
            s.unique = u->get<bool>();
        if (auto f = j.find("format"); f != j.end())
            s.duration = f->get<std::string>() == "duration";
        return &s;
    }

    const Schema* finish(const Schema* top)
    {
        // Compiling a definition may add more refs: walk by index until all are resolved.
        for (size_t i = 0; i < m_refs.size(); ++i) {
            const std::string name = m_refs[i]->ref.substr(std::string("#/definitions/").size());
            auto it = m_defs.find(name);
            if (it == m_defs.end())
                it = m_defs.emplace(name, compile(m_root.at("definitions").at(name))).first;
            m_refs[i]->target = it->second;
        }
        return top;
    }

    std::deque<Schema> m_pool;

private:
    const nlohmann::json& m_root;
    std::vector<Schema*> m_refs;
    std::map<std::string, const Schema*> m_defs;
};

} // namespace

struct SchemaValidator::Compiled {
    nlohmann::json json;
    std::unique_ptr<Compiler> compiler;
    const Schema* root = nullptr;
};

namespace {

const Schema* deref(const Schema* s)
{
    while (s && !s->ref.empty())
        s = s->target;
    return s;
}

bool bool_text(const std::string& t)
{
    std::string l = t;
    std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return std::tolower(c); });
    return l == "true" || l == "false" || l == "yes" || l == "no" || l == "on" || l == "off" || l == "y" ||
           l == "n";
}

bool int_text(const std::string& t)
{
    Node probe = Node::scalar(t, {}, false);
    return probe.scalar_type() == Node::Scalar::Int;
}

bool number_text(const std::string& t)
{
    Node probe = Node::scalar(t, {}, false);
    auto st = probe.scalar_type();
    return st == Node::Scalar::Int || st == Node::Scalar::Float;
}

// Which of the schema types this node satisfies.
bool matches_type(const Node& n, unsigned types)
{
    if (types == 0)
        return true;
    switch (n.kind) {
    case Node::Kind::Null: return types & TNull;
    case Node::Kind::Seq: return types & TArray;
    case Node::Kind::Map: return types & TObject;
    case Node::Kind::Scalar: break;
    }
    auto st = n.scalar_type();
    switch (st) {
    case Node::Scalar::Null: return (types & TNull) != 0;
    case Node::Scalar::Bool: return (types & TBool) || ((types & TString) && n.interpolated);
    case Node::Scalar::Int: return (types & (TInt | TNumber)) || ((types & TString) && n.interpolated);
    case Node::Scalar::Float: return (types & TNumber) || ((types & TString) && n.interpolated);
    case Node::Scalar::String: break;
    }
    if (types & TString)
        return true;
    // Strings that convert, as compose-go casts them (quoted or interpolated values).
    if ((types & TBool) && bool_text(n.text))
        return true;
    if ((types & TInt) && !(types & TNumber) && int_text(n.text))
        return true;
    if ((types & TNumber) && number_text(n.text))
        return true;
    return false;
}

std::string type_words(unsigned types)
{
    std::vector<std::string> w;
    if (types & TString) w.push_back("a string");
    if (types & TNumber) w.push_back("a number");
    else if (types & TInt) w.push_back("an integer");
    if (types & TBool) w.push_back("a boolean");
    if (types & TArray) w.push_back("a list");
    if (types & TObject) w.push_back("a mapping");
    if (types & TNull) w.push_back("null");
    std::string out;
    for (size_t i = 0; i < w.size(); ++i) {
        if (i > 0)
            out += i + 1 == w.size() ? " or " : ", ";
        out += w[i];
    }
    return out;
}

unsigned effective_types(const Schema* s)
{
    s = deref(s);
    if (!s)
        return 0;
    if (!s->one_of.empty()) {
        unsigned t = 0;
        for (const auto* o : s->one_of) {
            unsigned x = effective_types(o);
            if (x == 0)
                return 0;
            t |= x;
        }
        return t;
    }
    return s->types;
}

std::string suggestion(const std::string& key, const Schema& s)
{
    std::string best;
    size_t best_d = 3;
    for (const auto& [name, _] : s.properties) {
        size_t d = edit_distance(key, name);
        if (d < best_d && d <= std::max<size_t>(1, name.size() / 3)) {
            best_d = d;
            best = name;
        }
    }
    return best;
}

Result<void> check(const Node& n, const Schema* s, const std::string& path);

Result<void> check_object(const Node& n, const Schema& s, const std::string& path)
{
    for (const auto& e : n.entries) {
        std::string p = join_path(path, e.key);
        if (auto it = s.properties.find(e.key); it != s.properties.end()) {
            TRY(check(e.value, it->second, p));
            continue;
        }
        bool matched = false;
        for (const auto& [re, sub] : s.patterns) {
            if (std::regex_search(e.key, re)) {
                matched = true;
                TRY(check(e.value, sub, p));
                break;
            }
        }
        if (matched)
            continue;
        if (s.additional) {
            TRY(check(e.value, s.additional, p));
        } else if (!s.additional_allowed) {
            std::string msg;
            if (s.properties.empty() && !s.patterns.empty())
                msg = "invalid name \"" + e.key + "\": only [a-zA-Z0-9._-] are allowed";
            else
                msg = "additional property \"" + e.key + "\" is not allowed";
            std::string hint = suggestion(e.key, s);
            if (!hint.empty())
                msg += " (did you mean \"" + hint + "\"?)";
            return node_error(e.key_mark, path.empty() ? "" : path, msg);
        }
    }
    for (const auto& r : s.required)
        if (!n.find(r))
            return node_error(n.mark, path, "missing required property \"" + r + "\"");
    return ok();
}

Result<void> check(const Node& n, const Schema* sp, const std::string& path)
{
    const Schema* s = deref(sp);
    if (!s)
        return ok();
    if (!s->one_of.empty()) {
        // Pick the alternatives whose type fits; report the error of the best fit.
        std::vector<const Schema*> fits;
        for (const auto* o : s->one_of) {
            const Schema* d = deref(o);
            unsigned t = effective_types(d);
            if (matches_type(n, t))
                fits.push_back(d);
        }
        if (fits.empty())
            return node_error(n.mark, path, "must be " + type_words(effective_types(s)) + ", not " + describe(n));
        std::optional<Error> first;
        for (const auto* f : fits) {
            auto r = check(n, f, path);
            if (r)
                return ok();
            if (!first)
                first = std::move(r).error();
        }
        return std::move(*first);
    }
    if (!matches_type(n, s->types))
        return node_error(n.mark, path, "must be " + type_words(s->types) + ", not " + describe(n));
    if (n.is_map())
        TRY(check_object(n, *s, path));
    if (n.is_seq()) {
        std::set<std::string> seen;
        for (size_t i = 0; i < n.items.size(); ++i) {
            const Node& item = n.items[i];
            std::string p = path + "[" + std::to_string(i) + "]";
            if (s->items)
                TRY(check(item, s->items, p));
            if (s->unique && item.is_scalar() && !seen.insert(item.text).second)
                return node_error(item.mark, p, "duplicate item \"" + item.text + "\" (items must be unique)");
        }
    }
    if (n.is_scalar()) {
        if (!s->enum_values.empty() &&
            std::find(s->enum_values.begin(), s->enum_values.end(), n.text) == s->enum_values.end()) {
            std::string list;
            for (size_t i = 0; i < s->enum_values.size(); ++i)
                list += (i ? ", " : "") + s->enum_values[i];
            return node_error(n.mark, path, "invalid value \"" + n.text + "\": must be one of " + list);
        }
        if (s->minimum && number_text(n.text) && std::stod(n.text) < *s->minimum) {
            std::string m = std::to_string(static_cast<long long>(*s->minimum));
            return node_error(n.mark, path, "must be greater than or equal to " + m);
        }
        if (s->maximum && number_text(n.text) && std::stod(n.text) > *s->maximum) {
            std::string m = std::to_string(static_cast<long long>(*s->maximum));
            return node_error(n.mark, path, "must be less than or equal to " + m);
        }
        if (s->pattern && n.scalar_type() == Node::Scalar::String && !std::regex_search(n.text, *s->pattern))
            return node_error(n.mark, path, "invalid value \"" + n.text + "\": must match " + s->pattern_text);
        if (s->duration && n.scalar_type() == Node::Scalar::String) {
            if (auto d = parse_duration(n.text); !d)
                return node_error(n.mark, path, d.error().message());
        }
    }
    return ok();
}

} // namespace

size_t edit_distance(std::string_view a, std::string_view b)
{
    // Damerau-Levenshtein (optimal string alignment): "prots" → "ports" is one edit.
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i)
        d[i][0] = i;
    for (size_t j = 0; j <= b.size(); ++j)
        d[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i)
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

Result<SchemaValidator> SchemaValidator::create(std::string_view schema_json)
{
    auto c = std::make_shared<Compiled>();
    try {
        c->json = nlohmann::json::parse(schema_json);
        c->compiler = std::make_unique<Compiler>(c->json);
        c->root = c->compiler->finish(c->compiler->compile(c->json));
    } catch (const std::exception& e) {
        return Error(Errc::Invalid, std::string("compile JSON schema: ") + e.what());
    }
    SchemaValidator v;
    v.m_compiled = std::move(c);
    return v;
}

Result<void> SchemaValidator::validate(const Node& root) const { return check(root, m_compiled->root, ""); }

Result<void> validate_schema(const Node& root)
{
    static const SchemaValidator embedded = [] {
        auto v = SchemaValidator::create(embedded_schema());
        if (!v)
            std::abort(); // the embedded schema is part of the build: it always compiles
        return std::move(*v);
    }();
    return embedded.validate(root);
}

} // namespace wharf::compose::loader
