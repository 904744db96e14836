// ${VAR} substitution (compose-go template semantics; see interpolation.h).
#include "compose/loader/interpolation.h"

#include "compose/loader/path.h"

namespace wharf::compose::loader {

namespace {

bool name_start(char c) { return c == '_' || std::isalpha(static_cast<unsigned char>(c)); }
bool name_char(char c) { return c == '_' || std::isalnum(static_cast<unsigned char>(c)); }

Error invalid_format(std::string_view text)
{
    return Error(Errc::Invalid,
        "invalid interpolation format: \"" + std::string(text) + "\"; you may need to escape any $ with another $");
}

struct Interp {
    const Environment& env;
    std::set<std::string>& unset;
    std::string_view whole;

    const std::string* lookup(const std::string& name) const
    {
        auto it = env.find(name);
        return it == env.end() ? nullptr : &it->second;
    }

    Result<std::string> run(std::string_view s)
    {
        std::string out;
        out.reserve(s.size());
        size_t i = 0;
        while (i < s.size()) {
            char c = s[i];
            if (c != '$' || i + 1 >= s.size()) {
                out += c;
                ++i;
                continue;
            }
            char n = s[i + 1];
            if (n == '$') {
                out += '$';
                i += 2;
            } else if (n == '{') {
                size_t end = 0;
                std::string v = TRY(braced(s, i + 2, end));
                out += v;
                i = end;
            } else if (name_start(n)) {
                size_t j = i + 1;
                while (j < s.size() && name_char(s[j]))
                    ++j;
                std::string name(s.substr(i + 1, j - i - 1));
                if (const auto* v = lookup(name))
                    out += *v;
                else
                    unset.insert(name);
                i = j;
            } else {
                out += '$'; // `$` before anything else is literal, as compose-go keeps it
                ++i;
            }
        }
        return out;
    }

    // Parses `${...}` starting after the `{`; sets `end` past the closing brace.
    Result<std::string> braced(std::string_view s, size_t start, size_t& end)
    {
        size_t j = start;
        if (j >= s.size() || !name_start(s[j]))
            return invalid_format(whole);
        while (j < s.size() && name_char(s[j]))
            ++j;
        std::string name(s.substr(start, j - start));
        if (j >= s.size())
            return invalid_format(whole);
        if (s[j] == '}') {
            end = j + 1;
            if (const auto* v = lookup(name))
                return *v;
            unset.insert(name);
            return std::string();
        }
        bool colon = false;
        if (s[j] == ':') {
            colon = true;
            ++j;
        }
        if (j >= s.size())
            return invalid_format(whole);
        char op = s[j];
        if (op != '-' && op != '?' && op != '+')
            return invalid_format(whole);
        ++j;
        // The argument runs to the matching `}`, nested `${…}` included.
        size_t arg_start = j;
        int depth = 0;
        for (; j < s.size(); ++j) {
            if (s[j] == '$' && j + 1 < s.size() && s[j + 1] == '$') {
                ++j;
                continue;
            }
            if (s[j] == '$' && j + 1 < s.size() && s[j + 1] == '{') {
                ++depth;
                ++j;
                continue;
            }
            if (s[j] == '}') {
                if (depth == 0)
                    break;
                --depth;
            }
        }
        if (j >= s.size())
            return invalid_format(whole);
        std::string_view arg = s.substr(arg_start, j - arg_start);
        end = j + 1;
        const std::string* v = lookup(name);
        bool set = v != nullptr;
        bool nonempty = set && !v->empty();
        switch (op) {
        case '-':
            if (colon ? nonempty : set)
                return *v;
            return run(arg);
        case '+':
            if (colon ? nonempty : set)
                return run(arg);
            return std::string();
        default: // '?'
            if (colon ? nonempty : set)
                return *v;
            std::string msg = TRY(run(arg));
            return Error(Errc::Invalid,
                "required variable " + name + " is missing a value" + (msg.empty() ? "" : ": " + msg));
        }
    }
};

Result<void> walk(Node& n, const std::string& path, const Environment& env, std::set<std::string>& unset)
{
    switch (n.kind) {
    case Node::Kind::Scalar:
        if (n.text.find('$') != std::string::npos) {
            Interp in{env, unset, n.text};
            auto r = in.run(n.text);
            if (!r)
                return node_error(n.mark, path, r.error().message());
            n.text = std::move(*r);
            n.interpolated = true;
        }
        return ok();
    case Node::Kind::Seq:
        for (size_t i = 0; i < n.items.size(); ++i)
            TRY(walk(n.items[i], path + "[" + std::to_string(i) + "]", env, unset));
        return ok();
    case Node::Kind::Map:
        for (auto& e : n.entries)
            TRY(walk(e.value, join_path(path, e.key), env, unset));
        return ok();
    case Node::Kind::Null: return ok();
    }
    return ok();
}

} // namespace

Result<std::string> interpolate(std::string_view text, const Environment& env, std::set<std::string>& unset)
{
    Interp in{env, unset, text};
    return in.run(text);
}

Result<void> interpolate_tree(Node& root, const Environment& env, std::set<std::string>& unset)
{
    return walk(root, "", env, unset);
}

} // namespace wharf::compose::loader
