#include "compose/loader/dotenv.h"

#include <set>

namespace wharf::compose::loader {

namespace {

std::string trim(std::string_view s)
{
    size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r'))
        ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r'))
        --e;
    return std::string(s.substr(b, e - b));
}

bool valid_key(const std::string& k)
{
    if (k.empty())
        return false;
    for (char c : k)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'))
            return false;
    return true;
}

} // namespace

Result<Environment> parse_dotenv(std::string_view text, const std::string& name, const EnvLookup& lookup, bool raw)
{
    Environment out;
    auto expand = [&](const std::string& v) -> Result<std::string> {
        // Lookup order: the given environment first, then earlier keys of this file.
        Environment env = out;
        std::string s = v;
        // Only variables referenced matter; resolve them through lookup.
        for (size_t i = 0; i + 1 < s.size(); ++i) {
            if (s[i] != '$')
                continue;
            size_t j = i + 1;
            if (s[j] == '{')
                ++j;
            size_t k = j;
            while (k < s.size() && (std::isalnum(static_cast<unsigned char>(s[k])) || s[k] == '_'))
                ++k;
            std::string var = s.substr(j, k - j);
            if (var.empty())
                continue;
            if (auto lv = lookup(var))
                env[var] = *lv;
        }
        std::set<std::string> unset;
        return interpolate(s, env, unset);
    };

    size_t pos = 0;
    int lineno = 0;
    while (pos < text.size()) {
        size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos)
            eol = text.size();
        std::string line(text.substr(pos, eol - pos));
        ++lineno;
        size_t next = eol + 1;
        std::string t = trim(line);
        if (t.empty() || t[0] == '#') {
            pos = next;
            continue;
        }
        if (t.rfind("export ", 0) == 0)
            t = trim(t.substr(7));
        size_t eq = t.find('=');
        if (eq == std::string::npos) {
            std::string key = t;
            if (!valid_key(key))
                return Error(Errc::Invalid, name + ":" + std::to_string(lineno) + ": invalid variable name \"" + key + "\"");
            if (auto v = lookup(key))
                out[key] = *v;
            pos = next;
            continue;
        }
        std::string key = trim(t.substr(0, eq));
        if (!valid_key(key))
            return Error(Errc::Invalid, name + ":" + std::to_string(lineno) + ": invalid variable name \"" + key + "\"");
        std::string rest = t.substr(eq + 1);
        // Values keep leading spaces trimmed, as compose-go does.
        size_t lead = 0;
        while (lead < rest.size() && (rest[lead] == ' ' || rest[lead] == '\t'))
            ++lead;
        rest = rest.substr(lead);
        if (raw) {
            out[key] = rest;
            pos = next;
            continue;
        }
        std::string value;
        if (!rest.empty() && (rest[0] == '\'' || rest[0] == '"')) {
            char q = rest[0];
            // A quoted value may span lines: collect until the closing quote.
            std::string body = rest.substr(1);
            size_t close = std::string::npos;
            std::string acc = body;
            size_t scan_from = 0;
            size_t cursor = next;
            while (true) {
                close = std::string::npos;
                for (size_t i = scan_from; i < acc.size(); ++i) {
                    if (q == '"' && acc[i] == '\\') {
                        ++i;
                        continue;
                    }
                    if (acc[i] == q) {
                        close = i;
                        break;
                    }
                }
                if (close != std::string::npos || cursor >= text.size())
                    break;
                scan_from = acc.size();
                size_t e2 = text.find('\n', cursor);
                if (e2 == std::string_view::npos)
                    e2 = text.size();
                acc += "\n";
                acc += std::string(text.substr(cursor, e2 - cursor));
                cursor = e2 + 1;
                ++lineno;
            }
            if (close == std::string::npos)
                return Error(Errc::Invalid, name + ":" + std::to_string(lineno) + ": unterminated quoted value");
            next = cursor;
            std::string inner = acc.substr(0, close);
            if (q == '\'') {
                value = inner;
            } else {
                std::string un;
                for (size_t i = 0; i < inner.size(); ++i) {
                    if (inner[i] == '\\' && i + 1 < inner.size()) {
                        char c = inner[++i];
                        switch (c) {
                        case 'n': un += '\n'; break;
                        case 't': un += '\t'; break;
                        case 'r': un += '\r'; break;
                        case '"': un += '"'; break;
                        case '\\': un += '\\'; break;
                        case '$': un += "$$"; break; // keep a literal $ through expansion
                        default: un += '\\'; un += c; break;
                        }
                    } else {
                        un += inner[i];
                    }
                }
                auto r = expand(un);
                if (!r)
                    return Error(Errc::Invalid, name + ":" + std::to_string(lineno) + ": " + r.error().message());
                value = *r;
            }
        } else {
            // Unquoted: an inline comment starts at " #".
            size_t hash = rest.find(" #");
            if (hash != std::string::npos)
                rest = rest.substr(0, hash);
            rest = trim(rest);
            auto r = expand(rest);
            if (!r)
                return Error(Errc::Invalid, name + ":" + std::to_string(lineno) + ": " + r.error().message());
            value = *r;
        }
        out[key] = value;
        pos = next;
    }
    return out;
}

} // namespace wharf::compose::loader
