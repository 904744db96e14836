#pragma once
/// PortConfig: one published or exposed container port, in the canonical long form
/// (compose-go `types.ServicePortConfig`). Short syntax `[ip:][host[-range]:]container[/proto]`
/// is expanded by the loader into one PortConfig per container port.

#include "compose/model/value.h"

#include <cstdint>
#include <string>

namespace wharf::compose {

struct PortConfig {
    std::string name;          ///< optional human name
    std::string mode;          ///< "ingress" (default) or "host"
    std::string host_ip;       ///< "" = all interfaces; IPv6 without brackets ("::1")
    uint32_t target = 0;       ///< container port
    std::string published;     ///< host port: "" = ephemeral, "8080", or a range "8000-8010"
    std::string protocol;      ///< "tcp" (default), "udp", "sctp"
    std::string app_protocol;  ///< optional hint ("http", "grpc")
    Extensions extensions;

    bool operator==(const PortConfig&) const = default;
};

} // namespace wharf::compose
