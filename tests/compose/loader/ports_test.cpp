#include "compose/loader/port_syntax.h"
#include "tests/compose/loader/load_helper.h"

using namespace wharf;
using namespace wharf::compose;
using namespace wharf::compose::test;

TEST_SUITE("compose.loader.ports") {

TEST_CASE("Ports_ShortSyntaxForms")
{
    auto s = service(R"(
services:
  web:
    image: x
    ports:
      - "8080:80"
      - 3000
      - "127.0.0.1::5000"
      - "[::1]:9090:90/udp"
      - "9000-9001:7000-7001"
      - "6000-6010:443"
)");
    REQUIRE(s.ports.size() == 7);
    CHECK(s.ports[0] == PortConfig{"", "ingress", "", 80, "8080", "tcp", "", {}});
    CHECK(s.ports[1].target == 3000);
    CHECK(s.ports[1].published.empty());
    CHECK(s.ports[2].host_ip == "127.0.0.1");
    CHECK(s.ports[2].published.empty());
    CHECK(s.ports[2].target == 5000);
    CHECK(s.ports[3].host_ip == "::1");
    CHECK(s.ports[3].protocol == "udp");
    CHECK(s.ports[3].published == "9090");
    CHECK(s.ports[4].published == "9000");
    CHECK(s.ports[4].target == 7000);
    CHECK(s.ports[5].published == "9001");
    CHECK(s.ports[5].target == 7001);
    CHECK(s.ports[6].published == "6000-6010");
    CHECK(s.ports[6].target == 443);
}

TEST_CASE("Ports_LongSyntaxDefaults")
{
    auto s = service(R"(
services:
  web:
    image: x
    ports:
      - target: 80
        published: 8080
      - target: 53
        protocol: udp
        mode: host
        name: dns
        app_protocol: dns
)");
    REQUIRE(s.ports.size() == 2);
    CHECK(s.ports[0] == PortConfig{"", "ingress", "", 80, "8080", "tcp", "", {}});
    CHECK(s.ports[1] == PortConfig{"dns", "host", "", 53, "", "udp", "dns", {}});
}

TEST_CASE("Ports_ContainerPortMustBeANumber")
{
    CHECK(error_of("services:\n  web:\n    image: x\n    ports:\n      - \"80:http\"\n") ==
          "compose.yaml:5:9: services.web.ports[0]: invalid port \"80:http\": container port must be a number or a range");
}

TEST_CASE("Ports_RangesOfDifferentSizeRejected")
{
    auto r = loader::parse_port_spec("8000-8002:80-81");
    REQUIRE_FALSE(r);
    CHECK(r.error().message() == "invalid port \"8000-8002:80-81\": host and container port ranges differ in size");
    auto p = loader::parse_port_spec("80/tcpx");
    REQUIRE_FALSE(p);
    CHECK(p.error().message() == "invalid port \"80/tcpx\": unknown protocol \"tcpx\"");
    auto o = loader::parse_port_spec("70000");
    REQUIRE_FALSE(o);
    CHECK(o.error().message() == "invalid port \"70000\": port is out of range (1-65535)");
}

} // TEST_SUITE
