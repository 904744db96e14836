#pragma once
// Images made in a scratch store for registry tests, and read back as the blobs a registry
// would serve.
#include "engine/image/image_store.h"
#include "engine/sys/file.h"
#include "tests/engine/image/tar_builder.h"

#include <doctest/doctest.h>
#include <dirent.h>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace wharf::test {

/// Deterministic incompressible bytes.
inline std::string random_bytes(size_t n, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::string out(n, '\0');
    for (auto& c : out)
        c = static_cast<char>(rng());
    return out;
}

/// Commits a multi-layer image (each layer a gzip tar of `entries`) into `store`.
inline engine::Image make_image(engine::ImageStore& store, const std::string& dir,
                                const std::vector<std::vector<TarEntry>>& layers, const std::string& tag,
                                const std::string& arch = "amd64")
{
    static int counter = 0;
    std::vector<engine::NewLayer> added;
    for (auto& entries : layers) {
        std::string path = dir + "/layer-" + std::to_string(counter++) + ".tar.gz";
        REQUIRE(sys::write_file_atomic(path, make_tar(entries, true)));
        auto l = store.add_layer_file(path);
        REQUIRE(l);
        added.push_back(*l);
    }
    engine::ImageDocument doc;
    doc.architecture = arch;
    doc.created = "2026-01-02T03:04:05Z";
    doc.config.cmd = {"/bin/sh"};
    for (size_t i = 0; i < layers.size(); ++i)
        doc.history.push_back({doc.created, "", "layer " + std::to_string(i), "", false});
    auto img = store.commit(doc, added, {engine::ImageReference::parse(tag).value()});
    REQUIRE(img);
    return *img;
}

/// What a registry would hold for one image: blobs by digest string and the manifest.
struct ServedImage {
    std::map<std::string, std::string> blobs;
    std::string manifest;
    std::string manifest_type;
    Digest manifest_digest;
    engine::Image image;
};

inline ServedImage served(engine::ImageStore& store, const engine::Image& img)
{
    ServedImage s;
    s.image = img;
    s.manifest = store.content().read(img.manifest_digest).value();
    s.manifest_type = img.manifest_media_type;
    s.manifest_digest = img.manifest_digest;
    s.blobs[img.id.str()] = store.content().read(img.id).value();
    for (auto& l : img.layers)
        s.blobs[l.blob_digest.str()] = store.content().read(l.blob_digest).value();
    return s;
}

/// True when the store holds no image, blob, unpacked layer or temp file: nothing partial.
inline bool store_is_empty(engine::ImageStore& store)
{
    auto images = store.list();
    bool no_tmp = true;
    for (auto& sub : {"/ingest", "/layers"}) {
        std::string path = store.root() + sub;
        if (auto* d = ::opendir(path.c_str())) {
            while (auto* e = ::readdir(d))
                if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
                    no_tmp = false;
            ::closedir(d);
        }
    }
    return images && images->empty() && store.content().list().empty() && store.layers().list().empty() && no_tmp;
}

} // namespace wharf::test
