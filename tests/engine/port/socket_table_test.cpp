// The rows of /proc/net/tcp-style tables, as find_port_holder and the redirect's sweep read them.
#include "engine/port/socket_table.h"

#include <doctest/doctest.h>

using namespace wharf::engine;

TEST_SUITE("port.socket_table") {

TEST_CASE("SocketTable_RowsAfterTheHeader")
{
    auto rows = parse_socket_table(
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1\n"
        "   1: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 0:0 00:0 0 0 0 678\n"
        "   2: 0100007F:ZZZZ 00000000:0000 0A\n"   // no hexadecimal port: left out
        "   3: 0100007F:0035 00000000:0000 07\n"); // cut short: no inode
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].local_address == "0100007F");
    CHECK(rows[0].local_port == 8080);
    CHECK(rows[0].state == "0A");
    CHECK(rows[0].inode == "12345");
    CHECK(rows[1].local_address.size() == 32);
    CHECK(rows[1].local_port == 80);
    CHECK(rows[1].inode == "678");
    CHECK(rows[2].local_port == 53);
    CHECK(rows[2].state == "07");
    CHECK(rows[2].inode == "");
    CHECK(parse_socket_table("").empty());
    CHECK(parse_socket_table("header only\n").empty());
}

}
