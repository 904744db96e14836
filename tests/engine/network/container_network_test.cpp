// The port requests of a container: `-p` specs plus `-P`'s exposed ports.
#include "engine/network/container_network.h"

#include <doctest/doctest.h>

using namespace wharf::engine;

TEST_SUITE("network.container_ports") {

TEST_CASE("CollectPortBindings_PublishAllAddsExposedPorts")
{
    auto b = collect_port_bindings({"8080:80"}, true, {"80/tcp", "53/udp", "9000-9001/tcp"});
    REQUIRE(b.has_value());
    REQUIRE(b->size() == 4);
    CHECK((*b)[0] == PortBinding{"", 8080, 8080, 80, PortProto::Tcp});
    CHECK((*b)[1] == PortBinding{"", 0, 0, 53, PortProto::Udp});
    CHECK((*b)[2] == PortBinding{"", 0, 0, 9000, PortProto::Tcp});
    CHECK((*b)[3] == PortBinding{"", 0, 0, 9001, PortProto::Tcp});
}

TEST_CASE("CollectPortBindings_BadSpecIsAnError")
{
    CHECK(collect_port_bindings({"80:http"}, false, {}).error().summary() == "invalid containerPort: http");
}

} // TEST_SUITE
