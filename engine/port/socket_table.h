#pragma once
/// The rows of the kernel's socket tables, /proc/net/{tcp,tcp6,udp,udp6}: who holds a port
/// (port_allocator's find_port_holder) and which ports have a listener (the socket redirect's
/// sweep) both read them. Pure; the views point into the text.
///
///   "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"
///   "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 …"
///
/// The header line is left out, and so are lines with fewer than four fields or a local
/// address without a hexadecimal port.

#include <cstdint>
#include <string_view>
#include <vector>

namespace wharf::engine {

struct SocketRow {
    std::string_view local_address; ///< hex, as the kernel prints it: 8 digits (IPv4) or 32 (IPv6)
    uint16_t local_port = 0;
    std::string_view state;         ///< "0A" is LISTEN for TCP
    std::string_view inode;         ///< "" when the line is cut short before it
};

std::vector<SocketRow> parse_socket_table(std::string_view text);

} // namespace wharf::engine
