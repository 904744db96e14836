#include "engine/registry/www_authenticate.h"

#include <cctype>

namespace wharf::engine::registry {

namespace {

// RFC 7230 tchar.
bool is_tchar(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}
bool is_token68_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-._~+/").find(c) != std::string_view::npos;
}
std::string lower(std::string_view s)
{
    std::string out(s);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

class Parser {
public:
    explicit Parser(std::string_view text) : m_text(text) {}

    Result<std::vector<Challenge>> run()
    {
        std::vector<Challenge> out;
        skip_separators();
        while (!at_end()) {
            std::string_view scheme = token();
            if (scheme.empty())
                return error("expected an authentication scheme");
            Challenge c;
            c.scheme = lower(scheme);
            skip_spaces();
            TRY(parse_params(c));
            out.push_back(std::move(c));
            skip_separators();
        }
        return out;
    }

private:
    bool at_end() const { return m_pos >= m_text.size(); }
    char peek(size_t ahead = 0) const { return m_pos + ahead < m_text.size() ? m_text[m_pos + ahead] : '\0'; }
    void skip_spaces()
    {
        while (!at_end() && (peek() == ' ' || peek() == '\t'))
            ++m_pos;
    }
    void skip_separators()
    {
        while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == ','))
            ++m_pos;
    }
    std::string_view token()
    {
        size_t b = m_pos;
        while (!at_end() && is_tchar(peek()))
            ++m_pos;
        return m_text.substr(b, m_pos - b);
    }
    Error error(const std::string& what) const
    {
        return Error(Errc::Invalid, "WWW-Authenticate: " + what + " at column " + std::to_string(m_pos + 1));
    }

    Result<std::string> quoted_string()
    {
        ++m_pos; // opening quote
        std::string out;
        while (!at_end()) {
            char c = peek();
            if (c == '"') {
                ++m_pos;
                return out;
            }
            if (c == '\\') {
                ++m_pos;
                if (at_end())
                    break;
                c = peek();
            }
            out += c;
            ++m_pos;
        }
        return error("unterminated quoted string");
    }

    /// After the scheme: nothing, a token68, or a comma-separated list of name=value. A
    /// name not followed by '=' starts the next challenge.
    Result<void> parse_params(Challenge& c)
    {
        // token68 ("Negotiate abc=="): a run of token68 characters, optional '=' padding,
        // then the end or a comma. "realm=x" is not one: a value follows the '='.
        {
            size_t save = m_pos;
            while (!at_end() && is_token68_char(peek()))
                ++m_pos;
            bool word = m_pos > save;
            while (!at_end() && peek() == '=')
                ++m_pos;
            size_t word_end = m_pos;
            skip_spaces();
            if (word && (at_end() || peek() == ',')) {
                c.token68 = std::string(m_text.substr(save, word_end - save));
                return ok();
            }
            m_pos = save;
        }
        bool first = true;
        for (;;) {
            skip_spaces();
            if (at_end())
                return ok();
            size_t name_start = m_pos;
            std::string_view name = token();
            if (name.empty()) {
                if (peek() == ',' && first)
                    return ok(); // "Basic, Bearer …": a challenge without params
                return error("expected a parameter name");
            }
            skip_spaces();
            if (peek() != '=') {
                // The next challenge's scheme (only valid after a comma or as the first word).
                m_pos = name_start;
                if (first)
                    return error("expected '=' after \"" + std::string(name) + "\"");
                return ok();
            }
            ++m_pos;
            skip_spaces();
            std::string value;
            if (peek() == '"')
                value = TRY(quoted_string());
            else
                value = std::string(token());
            c.params[lower(name)] = std::move(value);
            first = false;
            skip_spaces();
            if (at_end())
                return ok();
            if (peek() != ',')
                return error("expected ',' between parameters");
            // Comma: another parameter, or the next challenge; decide on the next word.
            ++m_pos;
            skip_separators();
            size_t save = m_pos;
            std::string_view next = token();
            skip_spaces();
            bool is_param = !next.empty() && peek() == '=';
            m_pos = save;
            if (!is_param)
                return ok();
        }
    }

    std::string_view m_text;
    size_t m_pos = 0;
};

} // namespace

std::string Challenge::param(const std::string& name) const
{
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
}

Result<std::vector<Challenge>> parse_www_authenticate(std::string_view header) { return Parser(header).run(); }

} // namespace wharf::engine::registry
