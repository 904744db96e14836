// Docker's `images` and `image history` rows and tables, from Image values (no store).
#include "tools/wharf/format.h"
#include "tools/wharf/human.h"
#include "tools/wharf/image_rows.h"

#include <doctest/doctest.h>

using namespace wharf;
using namespace wharf::cli;
using Json = nlohmann::ordered_json;

namespace {

const int64_t kNow = 1767225600; // 2026-01-01T00:00:00Z

engine::Image image(
    const std::string& hex_digit, std::vector<std::string> tags, const std::string& created, uint64_t size)
{
    engine::Image img;
    img.id = Digest::sha256_hex(std::string(64, hex_digit[0]));
    img.repo_tags = std::move(tags);
    img.document.created = created;
    img.size = size;
    return img;
}

const std::map<std::string, std::string> kImageHeaders = {{"ID", "IMAGE ID"}, {"Repository", "REPOSITORY"},
    {"Tag", "TAG"}, {"CreatedSince", "CREATED"}, {"Size", "SIZE"}, {"Digest", "DIGEST"}};
const std::string kImageTable = "{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if "
                                ".CreatedSince}}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}";

} // namespace

TEST_SUITE("cli.images")
{

    TEST_CASE("Human_SizesAndDurationsAsGoUnits")
    {
        CHECK(human_size(0, 3) == "0B");
        CHECK(human_size(999, 3) == "999B");
        CHECK(human_size(1982658, 3) == "1.98MB");
        CHECK(human_size(1982658, 4) == "1.983MB");
        CHECK(human_size(72800000, 3) == "72.8MB");
        CHECK(human_size(1.5e9, 3) == "1.5GB");
        CHECK(time_ago(kNow - 30, kNow) == "30 seconds ago");
        CHECK(time_ago(kNow - 3 * 3600, kNow) == "3 hours ago");
        CHECK(time_ago(kNow - 20 * 86400, kNow) == "2 weeks ago");
        CHECK(time_ago(0, kNow) == "");
        CHECK(unix_time_text(kNow) == "2026-01-01 00:00:00 +0000 UTC");
    }

    TEST_CASE("Images_TableRowPerTagSortedWithDanglingAsNone")
    {
        std::vector<engine::Image> images
            = {image("b", {"localhost/web:v2", "localhost/web:v1", "docker.io/library/nginx:latest"},
                   "2025-12-31T21:00:00Z", 72800000),
                image("a", {}, "2025-12-01T00:00:00Z", 1982658)};
        auto rows = image_rows(images, {}, kNow);
        REQUIRE(rows);
        auto text = format_rows("", *rows, kImageTable, kImageHeaders);
        REQUIRE(text);
        CHECK(*text
            == "REPOSITORY      TAG       IMAGE ID       CREATED       SIZE\n"
               "localhost/web   v1        bbbbbbbbbbbb   3 hours ago   72.8MB\n"
               "localhost/web   v2        bbbbbbbbbbbb   3 hours ago   72.8MB\n"
               "nginx           latest    bbbbbbbbbbbb   3 hours ago   72.8MB\n"
               "<none>          <none>    aaaaaaaaaaaa   4 weeks ago   1.98MB\n");
    }

    TEST_CASE("Images_FiltersReferenceDanglingAndArgument")
    {
        std::vector<engine::Image> images
            = {image("b", {"localhost/web:v1", "localhost/db:v1"}, "2025-12-31T21:00:00Z", 1),
                image("a", {}, "2025-12-01T00:00:00Z", 1)};
        ImageListOptions o;
        o.filters = {"dangling=true"};
        auto rows = image_rows(images, o, kNow);
        REQUIRE(rows);
        REQUIRE(rows->size() == 1);
        CHECK((*rows)[0]["ID"] == "aaaaaaaaaaaa");
        o.filters = {"reference=localhost/w*"};
        rows = image_rows(images, o, kNow);
        REQUIRE(rows->size() == 1);
        CHECK((*rows)[0]["Repository"] == "localhost/web");
        o.filters = {};
        o.reference = "localhost/db:v1";
        rows = image_rows(images, o, kNow);
        REQUIRE(rows->size() == 1);
        CHECK((*rows)[0]["Repository"] == "localhost/db");
        o.reference = "";
        o.filters = {"before=localhost/web:v1"};
        rows = image_rows(images, o, kNow);
        REQUIRE(rows->size() == 1);
        CHECK((*rows)[0]["Tag"] == "<none>");
        o.filters = {"colour=red"};
        auto bad = image_rows(images, o, kNow);
        REQUIRE_FALSE(bad);
        CHECK(bad.error().summary() == "invalid filter 'colour'");
    }

    TEST_CASE("Images_JsonRowHasDockerFieldsAndNoTruncId")
    {
        std::vector<engine::Image> images
            = {image("c", {"localhost/busybox:latest"}, "2025-12-31T23:59:00Z", 1982658)};
        images[0].repo_digests = {"localhost/busybox@sha256:" + std::string(64, 'd')};
        ImageListOptions o;
        o.no_trunc = true;
        o.digests = true;
        auto rows = image_rows(images, o, kNow);
        REQUIRE(rows);
        REQUIRE(rows->size() == 1);
        CHECK((*rows)[0].dump()
            == "{\"Containers\":\"N/A\",\"CreatedAt\":\"2025-12-31 23:59:00 +0000 "
               "UTC\",\"CreatedSince\":\"About a minute ago\","
               "\"Digest\":\"sha256:"
                + std::string(64, 'd') + "\",\"ID\":\"sha256:" + std::string(64, 'c')
                + "\",\"Repository\":\"localhost/busybox\",\"SharedSize\":\"N/"
                  "A\",\"Size\":\"1.98MB\",\"Tag\":\"latest\","
                  "\"UniqueSize\":\"N/A\",\"VirtualSize\":\"1.983MB\"}");
    }

    TEST_CASE("History_NewestFirstMissingBelowTopAndEllipsis")
    {
        auto img = image("e", {"localhost/app:latest"}, "2025-12-31T22:00:00Z", 0);
        engine::ImageLayer base, top;
        base.size = 1982658;
        top.size = 1200;
        img.layers = {base, top};
        img.document.history = {{"2025-12-01T00:00:00Z", "", "", "Imported from -", false},
            {"2025-12-31T22:00:00Z", "", "CMD [\"httpd\" \"-f\"]", "buildkit.dockerfile.v0", true},
            {"2025-12-31T22:00:00Z", "",
                "RUN /bin/sh -c echo hello world > /www/index.html && chmod 0644 /www/index.html",
                "buildkit.dockerfile.v0", false}};
        auto rows = history_rows(img, {}, kNow);
        auto text
            = format_rows("", rows, "{{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}",
                {{"ID", "IMAGE"}, {"CreatedSince", "CREATED"}, {"CreatedBy", "CREATED BY"}, {"Size", "SIZE"},
                    {"Comment", "COMMENT"}});
        REQUIRE(text);
        CHECK(*text
            == "IMAGE          CREATED       CREATED BY                                      SIZE      "
               "COMMENT\n"
               "eeeeeeeeeeee   2 hours ago   RUN /bin/sh -c echo hello world > /www/index…   1.2kB     "
               "buildkit.dockerfile.v0\n"
               "<missing>      2 hours ago   CMD [\"httpd\" \"-f\"]                              0B        "
               "buildkit.dockerfile.v0\n"
               "<missing>      4 weeks ago                                                   1.98MB    "
               "Imported from -\n");
        auto raw = history_rows(img, {true, false}, kNow);
        CHECK(raw[0]["ID"] == "sha256:" + std::string(64, 'e'));
        CHECK(raw[0]["CreatedSince"] == "2025-12-31T22:00:00Z");
        CHECK(raw[0]["Size"] == "1200");
        CHECK(raw[0]["CreatedBy"]
            == "RUN /bin/sh -c echo hello world > /www/index.html && chmod 0644 /www/index.html");
    }

    TEST_CASE("Format_TableHeaderSkipsControlActions")
    {
        std::vector<Json> rows = {Json {{"CreatedSince", ""}, {"ID", "x"}}};
        auto out = format_rows("table {{.ID}}\\t{{if .CreatedSince}}{{.CreatedSince}}{{else}}N/A{{end}}",
            rows, "", {{"ID", "IMAGE ID"}, {"CreatedSince", "CREATED"}});
        REQUIRE(out);
        CHECK(*out == "IMAGE ID   CREATED\nx          N/A\n");
    }

} // TEST_SUITE
