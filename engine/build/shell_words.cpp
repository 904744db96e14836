// Dockerfile word processing (see shell_words.h). A small recursive-descent scanner over
// the word; `stop` is the character that ends a nested `${VAR:-word}` word.
#include "engine/build/shell_words.h"

#include <fnmatch.h>

namespace wharf::engine::build {
namespace {

bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

class Scanner {
public:
    Scanner(std::string_view text, const VarMap& vars, char escape, bool keep_quotes = false)
        : m_text(text)
        , m_vars(vars)
        , m_escape(escape)
        , m_keep_quotes(keep_quotes)
    {
    }

    /// Processes up to `stop` (0 = end of text); leaves the position on `stop`.
    Result<std::string> word(char stop)
    {
        std::string out;
        while (m_pos < m_text.size()) {
            char c = m_text[m_pos];
            if (stop && c == stop)
                return out;
            if (c == m_escape && m_keep_quotes) {
                ++m_pos;
                if (m_pos < m_text.size() && (m_text[m_pos] == '$' || m_text[m_pos] == m_escape))
                    out += m_text[m_pos++];
                else
                    out += c;
                continue;
            }
            if (c == m_escape) {
                ++m_pos;
                if (m_pos < m_text.size())
                    out += m_text[m_pos++];
                continue;
            }
            if (m_keep_quotes && (c == '\'' || c == '"')) {
                out += c;
                ++m_pos;
                continue;
            }
            if (c == '\'') {
                out += TRY(single_quoted());
                continue;
            }
            if (c == '"') {
                out += TRY(double_quoted());
                continue;
            }
            if (c == '$') {
                out += TRY(dollar());
                continue;
            }
            out += c;
            ++m_pos;
        }
        if (stop)
            return Error(Errc::Invalid, std::string("missing '") + stop + "'");
        return out;
    }

    bool at_end() const { return m_pos >= m_text.size(); }

private:
    Result<std::string> single_quoted()
    {
        size_t close = m_text.find('\'', m_pos + 1);
        if (close == std::string_view::npos)
            return Error(
                Errc::Invalid, "unexpected end of statement while looking for matching single-quote");
        std::string out(m_text.substr(m_pos + 1, close - m_pos - 1));
        m_pos = close + 1;
        return out;
    }

    Result<std::string> double_quoted()
    {
        std::string out;
        ++m_pos;
        while (m_pos < m_text.size()) {
            char c = m_text[m_pos];
            if (c == '"') {
                ++m_pos;
                return out;
            }
            if (c == '$') {
                out += TRY(dollar());
                continue;
            }
            ++m_pos;
            if (c == m_escape && m_pos < m_text.size()) {
                char next = m_text[m_pos];
                // Only these are escapable inside double quotes; other escapes stay as written.
                if (next == '"' || next == '$' || next == m_escape) {
                    out += next;
                    ++m_pos;
                    continue;
                }
            }
            out += c;
        }
        return Error(Errc::Invalid, "unexpected end of statement while looking for matching double-quote");
    }

    std::optional<std::string> lookup(std::string_view name) const
    {
        auto it = m_vars.find(name);
        if (it == m_vars.end())
            return std::nullopt;
        return it->second;
    }

    Result<std::string> dollar()
    {
        ++m_pos; // '$'
        if (m_pos >= m_text.size())
            return std::string("$");
        if (m_text[m_pos] != '{') {
            size_t start = m_pos;
            while (m_pos < m_text.size() && is_name_char(m_text[m_pos]))
                ++m_pos;
            if (start == m_pos)
                return std::string("$");
            return lookup(m_text.substr(start, m_pos - start)).value_or("");
        }
        ++m_pos; // '{'
        size_t start = m_pos;
        while (m_pos < m_text.size() && is_name_char(m_text[m_pos]))
            ++m_pos;
        std::string name(m_text.substr(start, m_pos - start));
        if (m_pos >= m_text.size())
            return Error(Errc::Invalid, "missing '}'");
        if (name.empty())
            return Error(Errc::Invalid, "bad substitution: empty variable name");
        char c = m_text[m_pos];
        if (c == '}') {
            ++m_pos;
            return lookup(name).value_or("");
        }
        bool colon = false;
        if (c == ':') {
            colon = true;
            ++m_pos;
            if (m_pos >= m_text.size())
                return Error(Errc::Invalid, "missing '}'");
            c = m_text[m_pos];
        }
        std::optional<std::string> value = lookup(name);
        // With ':' an empty value counts as unset, as in POSIX sh.
        bool set = value && (!colon || !value->empty());
        if (c == '-' || c == '+' || c == '?') {
            ++m_pos;
            std::string word = TRY(this->word('}'));
            ++m_pos; // '}'
            if (c == '-')
                return set ? *value : word;
            if (c == '+')
                return set ? word : std::string();
            if (!set)
                return Error(
                    Errc::Invalid, name + ": " + (word.empty() ? "is not allowed to be unset" : word));
            return *value;
        }
        if (!colon && (c == '#' || c == '%')) {
            bool longest = m_pos + 1 < m_text.size() && m_text[m_pos + 1] == c;
            m_pos += longest ? 2 : 1;
            std::string pattern = TRY(this->word('}'));
            ++m_pos;
            return trim_pattern(value.value_or(""), pattern, c == '#', longest);
        }
        return Error(Errc::Invalid, "unsupported modifier (" + std::string(1, c) + ") in substitution");
    }

    static std::string trim_pattern(
        const std::string& value, const std::string& pattern, bool prefix, bool longest)
    {
        size_t n = value.size();
        for (size_t k = 0; k <= n; ++k) {
            size_t len = longest ? n - k : k;
            std::string part = prefix ? value.substr(0, len) : value.substr(n - len);
            if (fnmatch(pattern.c_str(), part.c_str(), 0) == 0)
                return prefix ? value.substr(len) : value.substr(0, n - len);
        }
        return value;
    }

    std::string_view m_text;
    const VarMap& m_vars;
    char m_escape;
    bool m_keep_quotes;
    size_t m_pos = 0;
};

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

Result<std::string> expand_word(std::string_view word, const VarMap& vars, char escape)
{
    Scanner s(word, vars, escape);
    return s.word(0);
}

Result<std::string> expand_text(std::string_view text, const VarMap& vars, char escape)
{
    Scanner s(text, vars, escape, true);
    return s.word(0);
}

Result<std::vector<std::string>> split_words(std::string_view text, char escape)
{
    std::vector<std::string> words;
    std::string cur;
    bool in_word = false;
    char quote = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (!quote && is_space(c)) {
            if (in_word)
                words.push_back(std::move(cur));
            cur.clear();
            in_word = false;
            continue;
        }
        in_word = true;
        cur += c;
        if (c == escape && quote != '\'' && i + 1 < text.size()) {
            cur += text[++i];
            continue;
        }
        if (quote && c == quote)
            quote = 0;
        else if (!quote && (c == '\'' || c == '"'))
            quote = c;
    }
    if (quote)
        return Error(Errc::Invalid,
            std::string("unexpected end of statement while looking for matching ")
                + (quote == '\'' ? "single-quote" : "double-quote"));
    if (in_word)
        words.push_back(std::move(cur));
    return words;
}

Result<std::vector<std::string>> expand_words(std::string_view text, const VarMap& vars, char escape)
{
    std::vector<std::string> out;
    for (auto& w : TRY(split_words(text, escape)))
        out.push_back(TRY(expand_word(w, vars, escape)));
    return out;
}

Result<std::vector<KeyValue>> parse_key_values(
    std::string_view keyword, std::string_view text, const VarMap& vars, char escape, bool allow_legacy)
{
    auto words = TRY(split_words(text, escape));
    if (words.empty())
        return Error(Errc::Invalid, std::string(keyword) + " requires at least one argument");
    std::vector<KeyValue> out;
    if (allow_legacy && words[0].find('=') == std::string::npos) {
        // Legacy `ENV key value with spaces`: the value is the rest of the line.
        size_t start = text.find_first_not_of(" \t");
        size_t after_key = start + words[0].size();
        std::string_view rest = text.substr(after_key);
        size_t v = rest.find_first_not_of(" \t");
        if (v == std::string_view::npos)
            return Error(Errc::Invalid, std::string(keyword) + " must have two arguments");
        std::string value = TRY(expand_word(rest.substr(v), vars, escape));
        while (!value.empty() && is_space(value.back()))
            value.pop_back();
        out.push_back({TRY(expand_word(words[0], vars, escape)), std::move(value)});
        return out;
    }
    for (auto& w : words) {
        size_t eq = w.find('=');
        if (eq == std::string::npos)
            return Error(Errc::Invalid,
                "Syntax error - can't find = in \"" + w + "\". Must be of the form: name=value");
        std::string key = TRY(expand_word(std::string_view(w).substr(0, eq), vars, escape));
        if (key.empty())
            return Error(Errc::Invalid, std::string(keyword) + " names can not be blank");
        out.push_back({std::move(key), TRY(expand_word(std::string_view(w).substr(eq + 1), vars, escape))});
    }
    return out;
}

} // namespace wharf::engine::build
