#include "engine/network/ipam.h"

#include <arpa/inet.h>

namespace wharf::engine {

Result<uint32_t> parse_ipv4(std::string_view text)
{
    in_addr a{};
    std::string s(text);
    if (inet_pton(AF_INET, s.c_str(), &a) != 1)
        return Error(Errc::Invalid, "invalid IPv4 address: " + s);
    return ntohl(a.s_addr);
}

std::string format_ipv4(uint32_t address)
{
    in_addr a{htonl(address)};
    char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &a, buf, sizeof buf);
    return buf;
}

Result<Ipv4Subnet> Ipv4Subnet::parse(std::string_view cidr)
{
    size_t slash = cidr.find('/');
    if (slash == std::string_view::npos)
        return Error(Errc::Invalid, "invalid CIDR address: " + std::string(cidr));
    auto addr = parse_ipv4(cidr.substr(0, slash));
    std::string len(cidr.substr(slash + 1));
    if (!addr || len.empty() || len.size() > 2 || len.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(len) > 32)
        return Error(Errc::Invalid, "invalid CIDR address: " + std::string(cidr));
    Ipv4Subnet s{*addr, std::stoi(len)};
    s.base &= s.mask();
    return s;
}

std::string Ipv4Subnet::to_string() const { return format_ipv4(base) + "/" + std::to_string(prefix); }

bool Ipv4Subnet::overlaps(const Ipv4Subnet& other) const
{
    int shorter = std::min(prefix, other.prefix);
    uint32_t m = shorter == 0 ? 0 : ~uint32_t(0) << (32 - shorter);
    return (base & m) == (other.base & m);
}

std::vector<AddressPool> default_address_pools()
{
    return {{Ipv4Subnet{0x0a590000, 16}, 24}};
}

Result<Ipv4Subnet> choose_subnet(const std::vector<AddressPool>& pools, const std::vector<Ipv4Subnet>& used)
{
    for (const auto& pool : pools) {
        if (pool.size < pool.base.prefix || pool.size > 30)
            continue;
        uint64_t count = uint64_t(1) << (pool.size - pool.base.prefix);
        uint32_t step = uint32_t(1) << (32 - pool.size);
        for (uint64_t i = 0; i < count; ++i) {
            Ipv4Subnet candidate{pool.base.base + static_cast<uint32_t>(i) * step, pool.size};
            bool clash = false;
            for (const auto& u : used)
                clash = clash || candidate.overlaps(u);
            if (!clash)
                return candidate;
        }
    }
    return Error(Errc::Conflict, "could not find an available, non-overlapping IPv4 address pool among the "
                                 "defaults to assign to the network");
}

uint32_t gateway_of(const Ipv4Subnet& subnet) { return subnet.base + 1; }

Result<uint32_t> choose_address(const Ipv4Subnet& subnet, const std::set<uint32_t>& taken)
{
    for (uint32_t a = subnet.base + 1; a < subnet.broadcast(); ++a)
        if (!taken.count(a))
            return a;
    return Error(Errc::Conflict, "no available IPv4 addresses on network " + subnet.to_string());
}

} // namespace wharf::engine
