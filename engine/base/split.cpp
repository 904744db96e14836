#include "engine/base/split.h"

namespace wharf {

std::vector<std::string_view> split(std::string_view text, char sep)
{
    std::vector<std::string_view> out;
    if (text.empty())
        return out;
    for (size_t start = 0;;) {
        size_t end = text.find(sep, start);
        if (end == std::string_view::npos) {
            out.push_back(text.substr(start));
            return out;
        }
        out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
}

std::vector<std::string_view> split_lines(std::string_view text)
{
    auto out = split(text, '\n');
    if (!out.empty() && out.back().empty())
        out.pop_back();
    return out;
}

std::vector<std::string_view> split_words(std::string_view text)
{
    constexpr std::string_view kSpace = " \t\n\r\f\v";
    std::vector<std::string_view> out;
    for (size_t start = text.find_first_not_of(kSpace); start != std::string_view::npos;) {
        size_t end = text.find_first_of(kSpace, start);
        out.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        start = end == std::string_view::npos ? end : text.find_first_not_of(kSpace, end);
    }
    return out;
}

} // namespace wharf
