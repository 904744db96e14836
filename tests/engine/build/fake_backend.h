#pragma once
// A BuildBackend for unit tests: layers are extracted into a temp dir (no root, no overlay),
// images are a map, RUN calls a test-provided function that writes into the upper dir.
#include "engine/build/backend.h"
#include "engine/build/cache.h"
#include "engine/build/layer_tar.h"
#include "engine/sys/file.h"

#include <archive.h>
#include <archive_entry.h>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace wharf::engine::build::testing {

class FakeBackend : public BuildBackend {
public:
    explicit FakeBackend(std::string root)
        : m_root(std::move(root))
    {
    }

    std::map<std::string, BaseImage> images;
    std::function<int(const RunSpec&)> on_run;
    std::vector<RunSpec> runs;
    std::map<std::string, std::string> committed; ///< image id -> config json
    std::map<std::string, std::string> tags; ///< tag -> image id
    std::vector<std::string> removed_layers;

    Result<BaseImage> resolve_image(const std::string& ref, bool) override
    {
        auto it = images.find(ref);
        if (it == images.end()) {
            auto t = tags.find(ref);
            if (t != tags.end()) {
                BaseImage b;
                b.id = t->second;
                b.config_json = committed.at(t->second);
                b.layers = m_image_layers.at(t->second);
                return b;
            }
            return Error(Errc::NotFound, "No such image: " + ref);
        }
        return it->second;
    }

    Result<LayerRef> add_layer(const std::string& tar_path) override
    {
        std::string bytes = TRY(sys::read_file(tar_path));
        std::string diff_id = "sha256:" + step_key({bytes});
        std::string dir = m_root + "/layers/" + diff_id.substr(7);
        if (!sys::exists(dir)) {
            TRY(sys::make_dirs(dir));
            archive* a = archive_read_new();
            archive_read_support_format_all(a);
            archive* w = archive_write_disk_new();
            archive_write_disk_set_options(w, ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME);
            REQUIRE(archive_read_open_filename(a, tar_path.c_str(), 10240) == ARCHIVE_OK);
            archive_entry* e;
            while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
                std::string p = dir + "/" + archive_entry_pathname(e);
                archive_entry_set_pathname(e, p.c_str());
                if (const char* hl = archive_entry_hardlink(e)) {
                    std::string h = dir + "/" + hl;
                    archive_entry_set_hardlink(e, h.c_str());
                }
                REQUIRE(archive_write_header(w, e) == ARCHIVE_OK);
                const void* buf;
                size_t size;
                la_int64_t off;
                while (archive_read_data_block(a, &buf, &size, &off) == ARCHIVE_OK)
                    archive_write_data_block(w, buf, size, off);
                archive_write_finish_entry(w);
            }
            archive_read_free(a);
            archive_write_free(w);
        }
        ++layers_added;
        return LayerRef {diff_id, dir, "blob-of-" + diff_id};
    }

    Result<std::optional<LayerRef>> find_layer(const LayerRef& cached) override
    {
        for (auto& r : removed_layers)
            if (r == cached.diff_id)
                return std::optional<LayerRef>();
        return std::optional<LayerRef>(cached);
    }

    Result<std::string> commit(const std::string& config_json, const std::vector<LayerRef>& layers,
        const std::vector<std::string>& new_tags) override
    {
        std::string id = "sha256:" + step_key({config_json});
        committed[id] = config_json;
        m_image_layers[id] = layers;
        for (auto& t : new_tags)
            tags[t] = id;
        return id;
    }

    Result<int> run(const RunSpec& spec) override
    {
        runs.push_back(spec);
        if (!on_run)
            return Error(Errc::Internal, "fake backend: no RUN handler");
        return on_run(spec);
    }

    std::string scratch_dir() override { return m_root + "/scratch"; }
    std::string xattr_prefix() const override { return "user."; }

    /// Makes a base image from files: path -> content.
    BaseImage make_image(const std::string& ref, const std::map<std::string, std::string>& files,
        const std::string& config
        = R"({"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[]},"history":[{"created_by":"base layer"}]})")
    {
        std::string dir = m_root + "/base-" + std::to_string(images.size());
        for (auto& [p, c] : files) {
            std::string full = dir + "/" + p;
            REQUIRE(sys::make_dirs(full.substr(0, full.rfind('/'))));
            REQUIRE(sys::write_file_atomic(full, c));
        }
        BaseImage b {
            "sha256:" + step_key({ref}), config, {LayerRef {"sha256:" + step_key({dir}), dir, "base"}}};
        images[ref] = b;
        return b;
    }

    size_t layers_added = 0;
    std::string tmp_layer_dir(const nlohmann::json& diff_id) const
    {
        return m_root + "/layers/" + diff_id.get<std::string>().substr(7);
    }

private:
    std::string m_root;
    std::map<std::string, std::vector<LayerRef>> m_image_layers;
};

/// Records progress as lines.
struct RecordingProgress : ProgressSink {
    std::vector<std::string> lines;
    std::string out;
    void step_started(const StepInfo& i) override
    {
        lines.push_back("Step " + std::to_string(i.number) + "/" + std::to_string(i.total) + " : " + i.text);
    }
    void step_cached(const StepInfo&) override { lines.push_back("CACHED"); }
    void output(std::string_view chunk) override { out += chunk; }
    void message(const std::string& m) override { lines.push_back(m); }
    size_t count(const std::string& s) const
    {
        return static_cast<size_t>(std::count(lines.begin(), lines.end(), s));
    }
};

} // namespace wharf::engine::build::testing
