#include "tools/wharf/prompt.h"

#include <iostream>

namespace wharf::cli {

bool confirm(const std::string& warning)
{
    std::cout << warning << "\nAre you sure you want to continue? [y/N] " << std::flush;
    std::string line;
    if (!std::getline(std::cin, line))
        return false;
    auto b = line.find_first_not_of(" \t"), e = line.find_last_not_of(" \t\r");
    line = b == std::string::npos ? "" : line.substr(b, e - b + 1);
    return line == "y" || line == "Y";
}

} // namespace wharf::cli
