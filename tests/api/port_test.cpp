// Docker's `-p` grammar and its PORTS / `port` texts.
#include "engine/api/port.h"

#include <doctest/doctest.h>

using namespace wharf::engine;

namespace {

std::vector<PortBinding> parse_ok(std::string_view spec)
{
    auto r = parse_publish(spec);
    REQUIRE_MESSAGE(r.has_value(), (r.has_value() ? std::string() : r.error().summary()));
    return *r;
}

std::string parse_err(std::string_view spec)
{
    auto r = parse_publish(spec);
    REQUIRE(!r.has_value());
    CHECK(r.error().code() == wharf::Errc::Invalid);
    return r.error().summary();
}

PortBinding binding(std::string ip, uint16_t first, uint16_t last, uint16_t container, PortProto proto = PortProto::Tcp)
{
    return {std::move(ip), first, last, container, proto};
}

} // namespace

TEST_SUITE("api.port") {

TEST_CASE("ParsePublish_ContainerPortAloneIsEphemeral")
{
    CHECK(parse_ok("80") == std::vector{binding("", 0, 0, 80)});
}

TEST_CASE("ParsePublish_HostAndContainer")
{
    CHECK(parse_ok("8080:80") == std::vector{binding("", 8080, 8080, 80)});
}

TEST_CASE("ParsePublish_HostIpv4")
{
    CHECK(parse_ok("127.0.0.1:8080:80") == std::vector{binding("127.0.0.1", 8080, 8080, 80)});
}

TEST_CASE("ParsePublish_BracketedIpv6")
{
    CHECK(parse_ok("[::1]:8080:80") == std::vector{binding("::1", 8080, 8080, 80)});
}

TEST_CASE("ParsePublish_BareIpv6TakesAllButLastTwoParts")
{
    CHECK(parse_ok("::1:6000:6000") == std::vector{binding("::1", 6000, 6000, 6000)});
}

TEST_CASE("ParsePublish_IpWithEphemeralHostPort")
{
    CHECK(parse_ok("127.0.0.1::80") == std::vector{binding("127.0.0.1", 0, 0, 80)});
}

TEST_CASE("ParsePublish_UdpAndCaseInsensitiveProto")
{
    CHECK(parse_ok("5353:53/udp") == std::vector{binding("", 5353, 5353, 53, PortProto::Udp)});
    CHECK(parse_ok("53/UDP") == std::vector{binding("", 0, 0, 53, PortProto::Udp)});
    CHECK(parse_ok("80/") == std::vector{binding("", 0, 0, 80)});
}

TEST_CASE("ParsePublish_PairwiseRanges")
{
    CHECK(parse_ok("8000-8002:80-82") ==
          std::vector{binding("", 8000, 8000, 80), binding("", 8001, 8001, 81), binding("", 8002, 8002, 82)});
}

TEST_CASE("ParsePublish_HostRangeForOneContainerPortIsAChoice")
{
    CHECK(parse_ok("8000-8010:80") == std::vector{binding("", 8000, 8010, 80)});
}

TEST_CASE("ParsePublish_ContainerRangeAloneIsEphemeralEach")
{
    CHECK(parse_ok("80-81/udp") ==
          std::vector{binding("", 0, 0, 80, PortProto::Udp), binding("", 0, 0, 81, PortProto::Udp)});
}

TEST_CASE("ParsePublish_Errors")
{
    CHECK(parse_err("8000-8010:80-85") == "invalid ranges specified for container and host Ports: 80-85 and 8000-8010");
    CHECK(parse_err("80:http") == "invalid containerPort: http");
    CHECK(parse_err("web:80") == "invalid hostPort: web");
    CHECK(parse_err("8080:70000") == "invalid containerPort: 70000");
    CHECK(parse_err("90-80") == "invalid containerPort: 90-80");
    CHECK(parse_err("80/icmp") == "invalid proto: icmp");
    CHECK(parse_err("localhost:8080:80") == "invalid IP address: localhost");
    CHECK(parse_err("8080:") == "no port specified: 8080:<empty>");
    CHECK(parse_err("") == "no port specified: <empty>");
}

TEST_CASE("ParseContainerPorts_ExposeSyntax")
{
    auto r = parse_container_ports("8000-8001/udp");
    REQUIRE(r.has_value());
    CHECK(*r == std::vector<ContainerPort>{{8000, PortProto::Udp}, {8001, PortProto::Udp}});
    CHECK(format_container_port((*r)[0]) == "8000/udp");
    CHECK(parse_container_ports("x/tcp").error().summary() == "invalid port: x");
}

TEST_CASE("JoinHostPort_BracketsIpv6")
{
    CHECK(join_host_port("0.0.0.0", 80) == "0.0.0.0:80");
    CHECK(join_host_port("::", 8080) == "[::]:8080");
}

TEST_CASE("FormatPsPorts_DefaultBindingBothFamilies")
{
    std::vector<PublishedPort> p{{"0.0.0.0", 54772, 80, PortProto::Tcp}, {"::", 54772, 80, PortProto::Tcp}};
    CHECK(format_ps_ports(p) == "0.0.0.0:54772->80/tcp, [::]:54772->80/tcp");
}

TEST_CASE("FormatPsPorts_SameNumbersGroupIntoRanges")
{
    std::vector<PublishedPort> p{{"0.0.0.0", 8081, 8081, PortProto::Tcp},
                                 {"0.0.0.0", 8080, 8080, PortProto::Tcp},
                                 {"::", 8080, 8080, PortProto::Tcp},
                                 {"::", 8081, 8081, PortProto::Tcp},
                                 {"127.0.0.1", 9000, 90, PortProto::Udp}};
    CHECK(format_ps_ports(p) ==
          "0.0.0.0:8080-8081->8080-8081/tcp, [::]:8080-8081->8080-8081/tcp, 127.0.0.1:9000->90/udp");
}

TEST_CASE("FormatPsPorts_ExposedOnly")
{
    CHECK(format_ps_ports({}, {{80, PortProto::Tcp}, {81, PortProto::Tcp}, {53, PortProto::Udp}}) ==
          "53/udp, 80-81/tcp");
    CHECK(format_ps_ports({{"0.0.0.0", 8080, 80, PortProto::Tcp}}, {{80, PortProto::Tcp}}) == "0.0.0.0:8080->80/tcp");
}

TEST_CASE("PortMapping_RoundTrip")
{
    PublishedPort v4{"0.0.0.0", 8080, 80, PortProto::Tcp};
    PublishedPort v6{"::", 5353, 53, PortProto::Udp};
    CHECK(format_port_mapping(v4) == "0.0.0.0:8080->80/tcp");
    CHECK(format_port_mapping(v6) == "[::]:5353->53/udp");
    CHECK(*parse_port_mapping("0.0.0.0:8080->80/tcp") == v4);
    CHECK(*parse_port_mapping("[::]:5353->53/udp") == v6);
    CHECK(parse_port_mapping("80/tcp").error().summary() == "invalid port mapping: 80/tcp");
}

TEST_CASE("FormatPortLines_NaturalOrder")
{
    std::vector<PublishedPort> p{{"::", 8080, 80, PortProto::Tcp},
                                 {"0.0.0.0", 8080, 80, PortProto::Tcp},
                                 {"0.0.0.0", 9000, 9000, PortProto::Udp},
                                 {"0.0.0.0", 8443, 443, PortProto::Tcp}};
    CHECK(format_port_lines(p) == "80/tcp -> 0.0.0.0:8080\n80/tcp -> [::]:8080\n443/tcp -> 0.0.0.0:8443\n"
                                  "9000/udp -> 0.0.0.0:9000\n");
}

} // TEST_SUITE
