#include "engine/port/socket_table.h"

#include "engine/base/split.h"

#include <charconv>

namespace wharf::engine {

std::vector<SocketRow> parse_socket_table(std::string_view text)
{
    std::vector<SocketRow> out;
    auto lines = split_lines(text);
    for (size_t i = 1; i < lines.size(); ++i) { // line 0 is the header
        auto f = split_words(lines[i]);
        if (f.size() < 4)
            continue;
        std::string_view local = f[1];
        auto colon = local.rfind(':');
        unsigned port = 0;
        if (colon == std::string_view::npos ||
            std::from_chars(local.data() + colon + 1, local.data() + local.size(), port, 16).ec != std::errc() ||
            port > 0xffff)
            continue;
        out.push_back({local.substr(0, colon), static_cast<uint16_t>(port), f[3], f.size() >= 10 ? f[9] : ""});
    }
    return out;
}

} // namespace wharf::engine
