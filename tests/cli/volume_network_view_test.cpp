// `volume ls/inspect` and `network ls/inspect` documents, rows and filters, from values.
#include "tools/wharf/format.h"
#include "tools/wharf/network_view.h"
#include "tools/wharf/volume_view.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::cli;
using Json = nlohmann::ordered_json;

TEST_SUITE("cli.volumes_networks")
{

    TEST_CASE("Volume_InspectAndLsAsDocker")
    {
        engine::Volume v;
        v.name = "data";
        v.mountpoint = "/var/lib/wharf/volumes/data/_data";
        v.created_at = "2026-01-02T03:04:05.123456789Z";
        v.labels = {{"app", "shop"}, {"tier", "db"}};
        CHECK(volume_inspect_json(v).dump()
            == "{\"CreatedAt\":\"2026-01-02T03:04:05Z\",\"Driver\":\"local\",\"Labels\":{\"app\":\"shop\","
               "\"tier\":\"db\"},"
               "\"Mountpoint\":\"/var/lib/wharf/volumes/data/"
               "_data\",\"Name\":\"data\",\"Options\":null,\"Scope\":\"local\"}");
        engine::Volume anon;
        anon.name = std::string(64, 'f');
        anon.anonymous = true;
        auto text = format_rows("", {volume_row(v), volume_row(anon)}, "{{.Driver}}\t{{.Name}}",
            {{"Driver", "DRIVER"}, {"Name", "VOLUME NAME"}});
        REQUIRE(text);
        CHECK(*text == "DRIVER    VOLUME NAME\nlocal     data\nlocal     " + std::string(64, 'f') + "\n");
        CHECK(volume_row(anon)["Labels"] == "com.docker.volume.anonymous=");
        CHECK(volume_row(v)["Labels"] == "app=shop,tier=db");
    }

    TEST_CASE("Volume_Filters")
    {
        engine::Volume v;
        v.name = "shop_data";
        v.labels = {{"app", "shop"}};
        CHECK(*volume_matches(v, false, {"dangling=true"}));
        CHECK_FALSE(*volume_matches(v, true, {"dangling=true"}));
        CHECK(*volume_matches(
            v, true, {"dangling=false", "name=data", "label=app", "label=app=shop", "driver=local"}));
        CHECK_FALSE(*volume_matches(v, false, {"label=app=web"}));
        CHECK_FALSE(*volume_matches(v, false, {"name=web"}));
        auto bad = volume_matches(v, false, {"size=1"});
        REQUIRE_FALSE(bad);
        CHECK(bad.error().summary() == "invalid filter 'size'");
        auto worse = volume_matches(v, false, {"dangling"});
        REQUIRE_FALSE(worse);
        CHECK(worse.error().summary() == "bad format of filter (expected name=value)");
    }

    TEST_CASE("Network_InspectDocumentAndLsTable")
    {
        engine::NetworkRecord n;
        n.id = std::string(12, 'a') + std::string(52, '1');
        n.name = "shop_default";
        n.created = "2026-01-02T03:04:05.120000000Z";
        n.subnet = "10.89.3.0/24";
        n.gateway = "10.89.3.1";
        n.labels = {{"com.docker.compose.project", "shop"}};
        engine::Endpoint e;
        e.container_id = std::string(64, 'c');
        e.container_name = "shop-web-1";
        e.ipv4 = "10.89.3.2";
        e.mac = "02:42:0a:59:03:02";
        n.endpoints[e.container_id] = e;
        auto j = network_inspect_json(n);
        CHECK(j["IPAM"].dump()
            == "{\"Driver\":\"default\",\"Options\":{},\"Config\":[{\"Subnet\":\"10.89.3.0/"
               "24\",\"Gateway\":\"10.89.3.1\"}]}");
        CHECK(j["Containers"][e.container_id]["IPv4Address"] == "10.89.3.2/24");
        CHECK(j["Containers"][e.container_id]["Name"] == "shop-web-1");
        CHECK(*format_one("{{.Name}} {{.Driver}} {{.Scope}} {{.Internal}}", j)
            == "shop_default bridge local false");

        engine::NetworkRecord none;
        none.id = std::string(12, 'b') + std::string(52, '2');
        none.name = "none";
        none.driver = engine::NetworkDriver::Null;
        auto text = format_rows("", {network_row(none, false), network_row(n, false)},
            "{{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}",
            {{"ID", "NETWORK ID"}, {"Name", "NAME"}, {"Driver", "DRIVER"}, {"Scope", "SCOPE"}});
        REQUIRE(text);
        CHECK(*text
            == "NETWORK ID     NAME           DRIVER    SCOPE\n"
               "bbbbbbbbbbbb   none           null      local\n"
               "aaaaaaaaaaaa   shop_default   bridge    local\n");
        CHECK(network_row(n, false)["CreatedAt"] == "2026-01-02 03:04:05.12 +0000 UTC");
        CHECK(network_row(n, true)["ID"] == n.id);
    }

    TEST_CASE("Network_Filters")
    {
        engine::NetworkRecord n;
        n.id = "abc123" + std::string(58, '0');
        n.name = "shop_default";
        n.labels = {{"com.docker.compose.project", "shop"}};
        engine::NetworkRecord bridge;
        bridge.name = "bridge";
        CHECK(*network_matches(n,
            {"type=custom", "dangling=true", "id=abc", "name=shop",
                "label=com.docker.compose.project=shop"}));
        CHECK_FALSE(*network_matches(bridge, {"type=custom"}));
        CHECK(*network_matches(bridge, {"type=builtin", "dangling=false"}));
        CHECK_FALSE(*network_matches(n, {"driver=null"}));
        auto bad = network_matches(n, {"type=odd"});
        REQUIRE_FALSE(bad);
        CHECK(bad.error().summary() == "invalid filter: 'type'='odd'");
    }

} // TEST_SUITE
