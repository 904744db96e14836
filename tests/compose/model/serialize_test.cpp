// `config` output types as docker compose's: JSON (ports, volumes, durations, byte sizes,
// file modes, command/entrypoint nulls) as a golden, and YAML for the same project.
#include "tests/compose/loader/load_helper.h"

using namespace wharf;
using namespace wharf::compose;
using namespace wharf::compose::test;

namespace {

const char* kProject =
    "name: shop\n"
        "services:\n"
        "  web:\n"
        "    image: localhost/web\n"
        "    ports: [\"127.0.0.1:8080:80\", \"9000/udp\"]\n"
        "    volumes: [\"./data:/data:ro,z\", \"cache:/cache:nocopy\", {type: tmpfs, target: /tmp, tmpfs: {size: 64m, mode: 01777}}]\n"
        "    secrets: [{source: key, mode: 0400}]\n"
        "    healthcheck: {test: [CMD, \"true\"], interval: 90s, retries: 3}\n"
        "    shm_size: 1g\n"
        "    stop_grace_period: 1m30s\n"
        "    ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 64}\n"
        "    networks: {front: {aliases: [w], priority: 5}}\n"
        "    depends_on: {db: {condition: service_healthy}}\n"
        "  db:\n"
        "    image: localhost/db\n"
        "    command: []\n"
        "volumes:\n"
        "  cache: {}\n"
        "networks:\n"
        "  front: {}\n"
        "secrets:\n"
        "  key: {file: ./key.txt}\n";

} // namespace

TEST_SUITE("compose.model.serialize") {

TEST_CASE("Serialize_JsonValueTypesAsDockerCompose")
{
    Project p = project(kProject);
    CHECK(to_json(p) ==
        "{\n"
        "  \"name\": \"shop\",\n"
        "  \"services\": {\n"
        "    \"db\": {\n"
        "      \"command\": [],\n"
        "      \"entrypoint\": null,\n"
        "      \"image\": \"localhost/db\",\n"
        "      \"networks\": {\n"
        "        \"default\": null\n"
        "      }\n"
        "    },\n"
        "    \"web\": {\n"
        "      \"command\": null,\n"
        "      \"depends_on\": {\n"
        "        \"db\": {\n"
        "          \"condition\": \"service_healthy\",\n"
        "          \"required\": true\n"
        "        }\n"
        "      },\n"
        "      \"entrypoint\": null,\n"
        "      \"healthcheck\": {\n"
        "        \"test\": [\n"
        "          \"CMD\",\n"
        "          \"true\"\n"
        "        ],\n"
        "        \"interval\": \"1m30s\",\n"
        "        \"retries\": 3\n"
        "      },\n"
        "      \"image\": \"localhost/web\",\n"
        "      \"networks\": {\n"
        "        \"front\": {\n"
        "          \"aliases\": [\n"
        "            \"w\"\n"
        "          ],\n"
        "          \"priority\": 5\n"
        "        }\n"
        "      },\n"
        "      \"ports\": [\n"
        "        {\n"
        "          \"mode\": \"ingress\",\n"
        "          \"host_ip\": \"127.0.0.1\",\n"
        "          \"target\": 80,\n"
        "          \"published\": \"8080\",\n"
        "          \"protocol\": \"tcp\"\n"
        "        },\n"
        "        {\n"
        "          \"mode\": \"ingress\",\n"
        "          \"target\": 9000,\n"
        "          \"protocol\": \"udp\"\n"
        "        }\n"
        "      ],\n"
        "      \"secrets\": [\n"
        "        {\n"
        "          \"source\": \"key\",\n"
        "          \"mode\": \"0400\"\n"
        "        }\n"
        "      ],\n"
        "      \"shm_size\": \"1073741824\",\n"
        "      \"stop_grace_period\": \"1m30s\",\n"
        "      \"ulimits\": {\n"
        "        \"nofile\": {\n"
        "          \"soft\": 1024,\n"
        "          \"hard\": 2048\n"
        "        },\n"
        "        \"nproc\": 64\n"
        "      },\n"
        "      \"volumes\": [\n"
        "        {\n"
        "          \"type\": \"bind\",\n"
        "          \"source\": \"/project/data\",\n"
        "          \"target\": \"/data\",\n"
        "          \"read_only\": true,\n"
        "          \"bind\": {\n"
        "            \"selinux\": \"z\",\n"
        "            \"create_host_path\": true\n"
        "          }\n"
        "        },\n"
        "        {\n"
        "          \"type\": \"volume\",\n"
        "          \"source\": \"cache\",\n"
        "          \"target\": \"/cache\",\n"
        "          \"volume\": {\n"
        "            \"nocopy\": true\n"
        "          }\n"
        "        },\n"
        "        {\n"
        "          \"type\": \"tmpfs\",\n"
        "          \"target\": \"/tmp\",\n"
        "          \"tmpfs\": {\n"
        "            \"size\": \"67108864\",\n"
        "            \"mode\": 1023\n"
        "          }\n"
        "        }\n"
        "      ]\n"
        "    }\n"
        "  },\n"
        "  \"networks\": {\n"
        "    \"default\": {\n"
        "      \"name\": \"shop_default\"\n"
        "    },\n"
        "    \"front\": {\n"
        "      \"name\": \"shop_front\"\n"
        "    }\n"
        "  },\n"
        "  \"volumes\": {\n"
        "    \"cache\": {\n"
        "      \"name\": \"shop_cache\"\n"
        "    }\n"
        "  },\n"
        "  \"secrets\": {\n"
        "    \"key\": {\n"
        "      \"name\": \"shop_key\",\n"
        "      \"file\": \"/project/key.txt\"\n"
        "    }\n"
        "  }\n"
        "}\n");
}

TEST_CASE("Serialize_YamlQuotesWhatWouldReadBackAsAnotherType")
{
    Project p = project("services:\n  web:\n    image: x\n    environment:\n      A: \"true\"\n      B: \"1.0\"\n"
                        "      C: \"null\"\n      D: \"a: b\"\n      E: \"$$HOME\"\n      F: \"\"\n");
    std::string y = to_yaml(p);
    CHECK(y.find("    environment:\n      A: \"true\"\n      B: \"1.0\"\n      C: \"null\"\n      D: \"a: b\"\n"
                 "      E: $$HOME\n      F: \"\"\n") != std::string::npos);
    CHECK(to_yaml(p, RenderOptions{false}).find("      E: $HOME\n") != std::string::npos);
}

TEST_CASE("Serialize_YamlKeysLongerThanYamlAllowsImplicitlyUseTheExplicitForm")
{
    std::string key(1500, 'K');
    Project p = project("services:\n  web:\n    image: x\n    environment:\n      ? " + key + "\n      : v\n");
    std::string y = to_yaml(p);
    CHECK(y.find("      ? " + key + "\n      : v\n") != std::string::npos);
    auto again = load_from_string(y);
    REQUIRE_MESSAGE(bool(again), (again ? std::string() : again.error().render()));
    CHECK(to_yaml(again->project) == y);
}

TEST_CASE("Serialize_UnicodeLineBreaksAreEscaped")
{
    // Found by the fuzzer: a raw NEL (U+0085) comes back from YAML as a space.
    Project p = project("services:\n  web:\n    image: x\n    labels:\n      a: \"x\\Ny\\Lz\"\n");
    CHECK(p.services.at("web").labels.at("a") == "x\xc2\x85y\xe2\x80\xa8z");
    std::string y = to_yaml(p);
    CHECK(y.find("      a: \"x\\Ny\\Lz\"\n") != std::string::npos);
    std::string j = to_json(p);
    CHECK(j.find("\"a\": \"x\\u0085y\\u2028z\"") != std::string::npos);
    for (const std::string& text : {y, j}) {
        auto again = load_from_string(text);
        REQUIRE(again);
        CHECK(again->project.services.at("web").labels == p.services.at("web").labels);
    }
}

} // TEST_SUITE
