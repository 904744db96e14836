#pragma once
/// IPv4 address management as pure functions: subnets carved from address pools (Docker's
/// default-address-pools: a base prefix split into subnets of one size), the lowest free host
/// address in a subnet. Which subnets are "used" (other networks, host routes) is the caller's
/// knowledge, passed in. Values only; thread-safe.

#include "engine/base/result.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace wharf::engine {

/// An IPv4 prefix; `base` is in host byte order and has no bits set past `prefix`.
struct Ipv4Subnet {
    uint32_t base = 0;
    int prefix = 0;

    static Result<Ipv4Subnet> parse(std::string_view cidr); ///< "10.89.0.0/24"
    std::string to_string() const;
    uint32_t mask() const { return prefix == 0 ? 0 : ~uint32_t(0) << (32 - prefix); }
    uint32_t broadcast() const { return base | ~mask(); }
    bool contains(uint32_t address) const { return (address & mask()) == base; }
    bool overlaps(const Ipv4Subnet& other) const;
    bool operator==(const Ipv4Subnet&) const = default;
};

struct AddressPool {
    Ipv4Subnet base;
    int size = 24; ///< prefix length of each subnet carved from `base`
};

/// wharf's default pool: 10.89.0.0/16 in /24s (podman's range for user networks).
std::vector<AddressPool> default_address_pools();

Result<uint32_t> parse_ipv4(std::string_view text);
std::string format_ipv4(uint32_t address);

/// The first subnet of `pools`, in order, overlapping none of `used`.
/// Fails with Conflict "could not find an available, non-overlapping IPv4 address pool among
/// the defaults to assign to the network" (Docker's text) when all are taken.
Result<Ipv4Subnet> choose_subnet(const std::vector<AddressPool>& pools, const std::vector<Ipv4Subnet>& used);

/// The gateway of a subnet: its first host address (.1).
uint32_t gateway_of(const Ipv4Subnet& subnet);

/// The lowest host address of `subnet` that is neither the network nor broadcast address,
/// nor in `taken` (which holds the gateway too). Conflict "no available IPv4 addresses on
/// network" when full.
Result<uint32_t> choose_address(const Ipv4Subnet& subnet, const std::set<uint32_t>& taken);

} // namespace wharf::engine
