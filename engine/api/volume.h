#pragma once
/// Volume: a named volume as `docker volume inspect` shows it.

#include <map>
#include <string>

namespace wharf::engine {

struct Volume {
    std::string name;
    std::string driver = "local";
    std::string mountpoint; ///< <root>/volumes/<name>/_data
    std::string created_at; ///< RFC3339
    std::map<std::string, std::string> labels;
    std::map<std::string, std::string> options;
    std::string scope = "local";
    bool anonymous = false; ///< made for an anonymous `-v /path`; removed with `rm -v`
};

} // namespace wharf::engine
