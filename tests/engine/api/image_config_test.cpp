#include "engine/api/image_config.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::engine;

TEST_SUITE("engine.image.config") {

TEST_CASE("ImageConfig_ParsesDockerFieldsAndIgnoresUnknown")
{
    auto doc = parse_image_document(R"({"architecture":"amd64","os":"linux","created":"2024-01-02T03:04:05Z",
      "config":{"Env":["PATH=/bin","A=b"],"Cmd":["httpd","-f"],"ExposedPorts":{"80":{},"53/udp":{}},
        "Volumes":{"/data":{}},"Labels":{"k":"v"},"StopSignal":"SIGQUIT","WorkingDir":"/srv","User":"33:33",
        "Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":5000000000,"Retries":3},"Unknown":1},
      "rootfs":{"type":"layers","diff_ids":["sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"]},
      "history":[{"created_by":"x","empty_layer":true},{"created_by":"y"}],"extra":{}})");
    REQUIRE(doc);
    CHECK(doc->config.env_value("A") == "b");
    CHECK(doc->config.cmd == std::vector<std::string>{"httpd", "-f"});
    CHECK(doc->config.exposed_ports == std::vector<std::string>{"53/udp", "80/tcp"});
    CHECK(doc->config.volumes == std::vector<std::string>{"/data"});
    CHECK(doc->config.healthcheck->interval_ns == 5000000000);
    CHECK(doc->config.healthcheck->retries == 3);
    CHECK(doc->config.user == "33:33");
    CHECK(doc->diff_ids.size() == 1);
    CHECK(doc->history.size() == 2);
    // Round trip through the canonical form keeps every value.
    auto again = parse_image_document(serialize(*doc));
    REQUIRE(again);
    CHECK(*again == *doc);
}

TEST_CASE("ImageConfig_RejectsBadRootfsAndTooMuchHistory")
{
    auto r = parse_image_document(R"({"rootfs":{"type":"zfs","diff_ids":[]}})");
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() == "invalid image config: rootfs.type: must be \"layers\", got \"zfs\"");
    r = parse_image_document(R"({"rootfs":{"type":"layers","diff_ids":[]},"history":[{"created_by":"x"}]})");
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() == "invalid image config: history: more non-empty history entries (1) than layers (0)");
    r = parse_image_document(R"({"config":{"Env":"A=b"},"rootfs":{"type":"layers","diff_ids":[]}})");
    REQUIRE(r); // a lone string is tolerated as a one-element list
}

TEST_CASE("ImageConfig_ChangeLines")
{
    ImageConfig c;
    REQUIRE(apply_change(c, "CMD [\"httpd\",\"-f\",\"-p\",\"80\"]"));
    CHECK(c.cmd == std::vector<std::string>{"httpd", "-f", "-p", "80"});
    REQUIRE(apply_change(c, "CMD echo hi"));
    CHECK(c.cmd == std::vector<std::string>{"/bin/sh", "-c", "echo hi"});
    REQUIRE(apply_change(c, "EXPOSE 80 53/udp"));
    CHECK(c.exposed_ports == std::vector<std::string>{"53/udp", "80/tcp"});
    REQUIRE(apply_change(c, "ENV A=1 B=\"two words\""));
    REQUIRE(apply_change(c, "ENV C three words"));
    CHECK(c.env == std::vector<std::string>{"A=1", "B=two words", "C=three words"});
    REQUIRE(apply_change(c, "WORKDIR /srv"));
    REQUIRE(apply_change(c, "WORKDIR app"));
    CHECK(c.working_dir == "/srv/app");
    REQUIRE(apply_change(c, "ENTRYPOINT [\"/bin/busybox\"]"));
    CHECK(c.entrypoint == std::vector<std::string>{"/bin/busybox"});
    CHECK(c.cmd.empty());
    REQUIRE(apply_change(c, "LABEL a=b"));
    REQUIRE(apply_change(c, "VOLUME /data"));
    REQUIRE(apply_change(c, "USER nobody"));
    CHECK(c.user == "nobody");

    auto r = apply_change(c, "RUN make");
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() == "invalid change \"RUN make\": RUN is not a supported --change instruction");
    r = apply_change(c, "EXPOSE http");
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() == "invalid change \"EXPOSE http\": invalid port \"http\"");
    r = apply_change(c, "CMD");
    REQUIRE_FALSE(r);
    CHECK(r.error().summary() == "invalid change \"CMD\": CMD requires an argument");
}

TEST_CASE("ImageConfig_Rfc3339")
{
    CHECK(parse_rfc3339("1970-01-01T00:01:00Z") == 60);
    CHECK(parse_rfc3339("2024-01-02T03:04:05.123456789Z") == 1704164645);
    CHECK(parse_rfc3339("2024-01-02T05:04:05+02:00") == 1704164645);
    CHECK_FALSE(parse_rfc3339("yesterday"));
    CHECK(parse_rfc3339(rfc3339_now()).has_value());
}

}
