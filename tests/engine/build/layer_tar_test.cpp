// LayerTar from an upper dir: hard links are written after the file they name.
#include "engine/build/layer_tar.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using namespace wharf::engine::build;
namespace fs = std::filesystem;

TEST_SUITE("build.layer_tar") {

// Entries are written sorted by path; a hard link must not precede the file it links to,
// whatever order readdir returned the names in (Debian's perl has usr/bin/perlbug linked to
// usr/bin/perlthanks; unpacking such a layer failed with "invalid hardlink").
TEST_CASE("LayerTar_HardlinkGroupContentGoesToTheFirstPathInWriteOrder")
{
    std::string tmpl = (fs::temp_directory_path() / "wharf-layer-tar-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    fs::path upper = tmpl;
    fs::create_directories(upper / "usr/bin");
    // Created last-to-first so that neither creation order nor readdir order (tmpfs lists
    // the newest first, ext4 by hash) hands the content to "a" by luck.
    std::ofstream(upper / "usr/bin/z") << "content";
    for (char c = 'y'; c >= 'a'; --c)
        fs::create_hard_link(upper / "usr/bin/z", upper / "usr/bin" / std::string(1, c));

    LayerTar tar;
    REQUIRE(tar.add_upper_dir(upper.string(), "user."));
    const auto& entries = tar.entries();
    REQUIRE(entries.contains("usr/bin/a"));
    CHECK(entries.at("usr/bin/a").kind == TarEntry::Kind::File);
    std::string content;
    std::ifstream(entries.at("usr/bin/a").source) >> content; // any name of the inode
    CHECK(content == "content");
    for (char c = 'b'; c <= 'z'; ++c) {
        const auto& e = entries.at("usr/bin/" + std::string(1, c));
        CAPTURE(c);
        CHECK(e.kind == TarEntry::Kind::Hardlink);
        CHECK(e.link == "usr/bin/a");
    }
    fs::remove_all(upper);
}

}
