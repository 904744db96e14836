#include "engine/base/digest.h"

namespace wharf {

namespace {
bool is_lower_hex(std::string_view s)
{
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return !s.empty();
}

bool is_algorithm(std::string_view s)
{
    // algorithm-component [algorithm-separator algorithm-component]*, separators + . _ -
    if (s.empty())
        return false;
    bool prev_sep = true;
    for (char c : s) {
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        bool sep = c == '+' || c == '.' || c == '_' || c == '-';
        if (!alnum && !sep)
            return false;
        if (sep && prev_sep)
            return false;
        prev_sep = sep;
    }
    return !prev_sep;
}
} // namespace

Result<Digest> Digest::parse(std::string_view text)
{
    auto bad = [&](std::string why) {
        return Error(Errc::Invalid, "invalid digest \"" + std::string(text) + "\": " + why);
    };
    auto colon = text.find(':');
    if (colon == std::string_view::npos)
        return bad("missing algorithm prefix (expected sha256:<hex>)");
    std::string_view alg = text.substr(0, colon);
    std::string_view hex = text.substr(colon + 1);
    if (!is_algorithm(alg))
        return bad("malformed algorithm");
    if (!is_lower_hex(hex))
        return bad("encoded part must be lowercase hex");
    if (alg == "sha256" && hex.size() != 64)
        return bad("sha256 needs 64 hex characters, got " + std::to_string(hex.size()));
    if (hex.size() < 32)
        return bad("encoded part too short");
    return Digest(std::string(alg), std::string(hex));
}

} // namespace wharf
