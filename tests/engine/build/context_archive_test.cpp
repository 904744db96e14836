// Build contexts from archives: recognition and safe unpacking. No root needed.
#include "engine/build/context_archive.h"
#include "engine/sys/file.h"

#include <archive.h>
#include <archive_entry.h>
#include <doctest/doctest.h>
#include <sys/stat.h>

using namespace wharf;
using namespace wharf::engine::build;

namespace {

struct Entry {
    std::string name, content, link;
    int mode = 0644;
    bool dir = false;
};

/// A tar (optionally gzip-compressed) in memory.
std::string make_tar(const std::vector<Entry>& entries, bool gzip = false)
{
    std::vector<char> buf(1 << 20);
    size_t used = 0;
    archive* a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    if (gzip)
        archive_write_add_filter_gzip(a);
    REQUIRE(archive_write_open_memory(a, buf.data(), buf.size(), &used) == ARCHIVE_OK);
    for (const auto& e : entries) {
        archive_entry* ae = archive_entry_new();
        archive_entry_set_pathname(ae, e.name.c_str());
        if (e.dir) {
            archive_entry_set_filetype(ae, AE_IFDIR);
        } else if (!e.link.empty()) {
            archive_entry_set_filetype(ae, AE_IFLNK);
            archive_entry_set_symlink(ae, e.link.c_str());
        } else {
            archive_entry_set_filetype(ae, AE_IFREG);
            archive_entry_set_size(ae, static_cast<la_int64_t>(e.content.size()));
        }
        archive_entry_set_perm(ae, static_cast<mode_t>(e.mode));
        REQUIRE(archive_write_header(a, ae) == ARCHIVE_OK);
        if (!e.content.empty())
            archive_write_data(a, e.content.data(), e.content.size());
        archive_entry_free(ae);
    }
    archive_write_close(a);
    archive_write_free(a);
    return std::string(buf.data(), used);
}

} // namespace

TEST_SUITE("build.context_archive")
{

    TEST_CASE("ContextArchive_RecognisesTarAndCompressedStreamsNotDockerfiles")
    {
        CHECK(looks_like_archive(make_tar({{"Dockerfile", "FROM scratch\n"}})));
        CHECK(looks_like_archive(make_tar({{"Dockerfile", "FROM scratch\n"}}, true)));
        CHECK_FALSE(looks_like_archive("FROM localhost/busybox:latest\nRUN true\n"));
        CHECK_FALSE(looks_like_archive(""));
    }

    TEST_CASE("ContextArchive_UnpacksFilesModesAndDirs")
    {
        auto tmp = sys::TempDir::create("wharf-ctx-archive");
        REQUIRE(tmp);
        auto tar = make_tar({{"./", "", "", 0755, true}, {"./Dockerfile", "FROM scratch\nCOPY run.sh /\n"},
                                {"./bin/", "", "", 0755, true}, {"./bin/run.sh", "echo hi\n", "", 0755}},
            true);
        REQUIRE(unpack_context_archive(tar, tmp->path()));
        CHECK(*sys::read_file(tmp->path() + "/Dockerfile") == "FROM scratch\nCOPY run.sh /\n");
        struct stat st { };
        REQUIRE(::stat((tmp->path() + "/bin/run.sh").c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0755);
    }

    TEST_CASE("ContextArchive_RefusesNamesThatLeaveTheContext")
    {
        auto tmp = sys::TempDir::create("wharf-ctx-archive");
        REQUIRE(tmp);
        auto dotdot = unpack_context_archive(make_tar({{"../escape", "x"}}), tmp->path());
        REQUIRE_FALSE(dotdot);
        CHECK(dotdot.error().summary()
            == "build context archive: entry \"../escape\": the name leaves the context");
        auto absolute = unpack_context_archive(make_tar({{"/etc/escape", "x"}}), tmp->path());
        REQUIRE_FALSE(absolute);
        // Writing through a symlink that points out of the context is refused too.
        std::string outside = tmp->path() + "-outside";
        auto through
            = unpack_context_archive(make_tar({{"link", "", outside}, {"link/file", "x"}}), tmp->path());
        CHECK_FALSE(through);
        CHECK_FALSE(sys::exists(outside + "/file"));
    }

} // TEST_SUITE
