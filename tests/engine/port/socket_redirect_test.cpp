// The socket redirect's host-side parsing: where the cgroup2 hierarchy's root is mounted
// (hybrid and unified hosts), and which TCP ports have a listener (what sweep keeps).
// Pure: the texts are samples; little-endian layout of /proc/net/tcp (x86_64, aarch64).
#include "engine/port/socket_redirect.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine;

namespace {

uint32_t ip(const char* text)
{
    in_addr a{};
    REQUIRE(inet_pton(AF_INET, text, &a) == 1);
    return a.s_addr;
}

} // namespace

TEST_SUITE("port.redirect") {

TEST_CASE("Cgroup2RootMount_HybridUnifiedAndNone")
{
    const std::string hybrid = "25 1 0:23 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755\n"
                               "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
                               "42 25 0:39 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n";
    CHECK(cgroup2_root_mount(hybrid) == "/sys/fs/cgroup/unified");
    const std::string unified = "30 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 "
                                "cgroup2 rw,nsdelegate,memory_recursiveprot\n";
    CHECK(cgroup2_root_mount(unified) == "/sys/fs/cgroup");
    // A bind mount of one group (a container's view) is not the hierarchy's root.
    const std::string group = "50 24 0:26 /system.slice/x.service /mnt/cg rw - cgroup2 cgroup2 rw\n" + unified;
    CHECK(cgroup2_root_mount(group) == "/sys/fs/cgroup");
    CHECK(cgroup2_root_mount(hybrid.substr(0, hybrid.find("41 "))) == "");
    CHECK(cgroup2_root_mount("") == "");
}

TEST_CASE("TcpListeners_ListenStateOnlyDualStackAsAnyMappedAsIpv4")
{
    const std::string tcp = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt "
                            "  uid  timeout inode\n"
                            "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 "
                            "    0        0 1 1 0 100 0 0 10 0\n"
                            "   1: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000 "
                            "    0        0 2 1 0 100 0 0 10 0\n"
                            "   2: 0100007F:A000 0100007F:1F90 01 00000000:00000000 00:00000000 00000000 "
                            "    0        0 3 1 0 20 4 30 10 -1\n";
    CHECK(parse_tcp_listeners(tcp) ==
          std::set<std::pair<uint32_t, uint16_t>>{{ip("127.0.0.1"), 8080}, {ip("0.0.0.0"), 80}});
    const std::string tcp6 = "  sl  local_address                         remote_address                 "
                             "       st tx_queue rx_queue\n"
                             "   0: 00000000000000000000000000000000:1F91 "
                             "00000000000000000000000000000000:0000 0A 00000000:00000000\n"
                             "   1: 0000000000000000FFFF00000100007F:1F92 "
                             "00000000000000000000000000000000:0000 0A 00000000:00000000\n"
                             "   2: 00000000000000000000000001000000:1F93 "
                             "00000000000000000000000000000000:0000 0A 00000000:00000000\n"
                             "   3: 00000000000000000000000000000000:1F94 "
                             "00000000000000000000000000000000:0000 06 00000000:00000000\n";
    CHECK(parse_tcp_listeners(tcp6) ==
          std::set<std::pair<uint32_t, uint16_t>>{{0, 8081}, {ip("127.0.0.1"), 8082}}); // not ::1, not TIME_WAIT
    CHECK(parse_tcp_listeners("").empty());
}

TEST_CASE("Cgroup2RootMount_ShortLinesAreSkipped")
{
    // Not seen from a kernel, but a truncated read must not match or crash.
    CHECK(cgroup2_root_mount("41 31 0:38 / - cgroup2 cgroup2 rw\n- cgroup2\n - \n") == "");
    CHECK(cgroup2_root_mount("41 31 0:38 / /x rw -\n41 31 0:38 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw") ==
          "/sys/fs/cgroup"); // no final newline: the last line counts
}

TEST_CASE("TcpListeners_HeaderOnlyAndShortLinesGiveNone")
{
    CHECK(parse_tcp_listeners("  sl  local_address rem_address   st\n").empty());
    // The header is the first line whatever it says; lines without a state or an address
    // with no port are left out.
    CHECK(parse_tcp_listeners("   0: 0100007F:1F90 00000000:0000 0A\n"
                              "   1: 0100007F:1F90 00000000:0000\n"
                              "   2: 0100007F 00000000:0000 0A\n")
              .empty());
    CHECK(parse_tcp_listeners("header\n   0: 0100007F:1F90 00000000:0000 0A") ==
          std::set<std::pair<uint32_t, uint16_t>>{{ip("127.0.0.1"), 8080}});
}
}
