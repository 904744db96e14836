#pragma once
/// Splitting text into fields, lines and words without iostreams. The per-container monitor
/// is linked without them: no std::locale and its facets, about half a megabyte less code
/// mapped by every monitor. Pure functions; the views point into `text`.
///
///   split("a::b:", ':')       {"a", "", "b", ""}   every field, a trailing empty one too
///   split("", ':')            {}
///   split_lines("x\ny\n")     {"x", "y"}           as a std::getline loop: no line after
///                                                  the final newline
///   split_words(" a\tb  c\n") {"a", "b", "c"}      as `in >> word` reads them

#include <string_view>
#include <vector>

namespace wharf {

std::vector<std::string_view> split(std::string_view text, char sep);
std::vector<std::string_view> split_lines(std::string_view text);
std::vector<std::string_view> split_words(std::string_view text);

} // namespace wharf
