// `wharf version`: the client's version and build facts, as `docker version` prints them.
#include "tools/wharf/verb.h"

#include <iostream>
#include <sys/utsname.h>

namespace wharf::cli {
namespace {

VerbAction setup(CLI::App& cmd, Context&)
{
    auto format = std::make_shared<std::string>();
    cmd.add_option("-f,--format", *format, "Format output: json");
    return [format] {
        utsname u{};
        uname(&u);
        if (*format == "json") {
            std::cout << R"({"Client":{"Version":")" << WHARF_VERSION << R"(","Os":"linux","Arch":")"
                      << u.machine << R"(","KernelVersion":")" << u.release << "\"}}\n";
            return 0;
        }
        std::cout << "Client: wharf\n"
                  << " Version:        " << WHARF_VERSION << "\n"
                  << " OS/Arch:        linux/" << u.machine << "\n"
                  << " Kernel:         " << u.release << "\n";
        return 0;
    };
}

VerbRegistration reg{{.parent = "", .name = "version", .aliases = {}, .help = "Show the wharf version information", .setup = setup}};

} // namespace
} // namespace wharf::cli
