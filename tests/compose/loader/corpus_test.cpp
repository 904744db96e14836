// Conformance over the shared corpus of real compose files (../shared/corpus, read in place,
// never copied): each loads as docker compose loads it — or fails with the error docker
// compose gives, for the files listed below with the reason — and `config` of its own output
// is a fixed point, in YAML and in JSON. The same files go through the official
// compose-spec schema, which must agree with ours on which are valid.
#if WHARF_HAVE_SHARED

#include "compose/loader/node.h"
#include "compose/loader/schema.h"
#include "tests/compose/loader/load_helper.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace wharf;
using namespace wharf::compose;
namespace fs = std::filesystem;

namespace {

const std::string kShared = WHARF_SHARED_DIR;
const std::string kCorpus = kShared + "/corpus";

std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Every compose file of the corpus, relative to it, sorted.
std::vector<std::string> corpus_files()
{
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(kCorpus)) {
        auto ext = e.path().extension().string();
        if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml"))
            out.push_back(fs::relative(e.path(), kCorpus).string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

/// Files that must not load, with the error (summary) and why docker compose fails too.
struct ExpectedFailure {
    const char* file;
    const char* error;
    const char* reason;
};

const ExpectedFailure kExpectedFailures[] = {
    {"docker-compose-e2e/wrong-composefile/compose.yaml",
        "compose.yaml:4:5: services.simple: additional property \"wrongField\" is not allowed",
        "invalid on purpose: unknown service attribute"},
    {"docker-compose-e2e/config_hash/compose.yaml",
        "compose.yaml:6:7: services.with-env-file.env_file: env file "
        "@CORPUS@/docker-compose-e2e/config_hash/app.env not found",
        "its env_file app.env was not copied into the corpus (a required env file)"},
    {"docker-compose-e2e/env_file/compose.yaml",
        "compose.yaml:8:7: services.serviceB.env_file: env file /doesnotexist/.env not found",
        "names a missing env file on purpose (docker compose's e2e expects this failure)"},
    {"docker-compose-e2e/publish/oci/compose-override.yaml",
        "compose-override.yaml:3:15: services.app.env_file: env file @CORPUS@/docker-compose-e2e/publish/oci/test.env "
        "not found",
        "an override file whose test.env was not copied (alone, its service also lacks an image)"},
};

/// Stand-in contents for the files the corpus left out, so that the files failing above also get
/// loaded and round-tripped once their inputs exist.
const std::map<std::string, std::string> kStandInFiles = {
    {"docker-compose-e2e/config_hash/app.env", "APP=1\n"},
    {"docker-compose-e2e/publish/oci/test.env", "TEST=1\n"},
    {"/doesnotexist/.env", "X=1\n"},
};

std::string expand(std::string s)
{
    const std::string key = "@CORPUS@";
    for (size_t at; (at = s.find(key)) != std::string::npos;)
        s.replace(at, key.size(), kCorpus);
    return s;
}

/// Files meant to be loaded over a base file (`-f base -f override`).
const std::map<std::string, std::string> kOverrideOf = {
    {"docker-compose-e2e/publish/oci/compose-override.yaml", "compose.yaml"},
};

LoadOptions corpus_options(const std::string& rel, bool with_stand_ins)
{
    fs::path abs = fs::path(kCorpus) / rel;
    LoadOptions o;
    o.files = {abs.string()};
    if (with_stand_ins && kOverrideOf.count(rel))
        o.files.insert(o.files.begin(), (abs.parent_path() / kOverrideOf.at(rel)).string());
    o.working_dir = abs.parent_path().string();
    o.environment = {{"HOME", "/home/user"}};
    if (with_stand_ins) {
        o.read_file = [](const std::string& p) -> Result<std::string> {
            for (const auto& [k, v] : kStandInFiles)
                if (p == k || p == kCorpus + "/" + k)
                    return v;
            std::ifstream in(p, std::ios::binary);
            if (!in)
                return Error(Errc::NotFound, "open " + p + ": No such file or directory");
            return slurp(p);
        };
        o.file_exists = [o](const std::string& p) {
            for (const auto& [k, v] : kStandInFiles)
                if (p == k || p == kCorpus + "/" + k)
                    return true;
            return fs::is_regular_file(p);
        };
    }
    return o;
}

/// Loads `text` as a file named config.yaml beside `rel` (the output of `config` fed back),
/// seeing the same files (and stand-ins) as the first load.
Result<LoadedProject> reload(const std::string& rel, bool with_stand_ins, const std::string& text)
{
    LoadOptions o = corpus_options(rel, with_stand_ins);
    const std::string path = o.working_dir + "/config.yaml";
    o.files = {path};
    auto inner_read = o.read_file;
    o.read_file = [=](const std::string& p) -> Result<std::string> {
        if (p == path)
            return text;
        if (inner_read)
            return inner_read(p);
        std::ifstream in(p, std::ios::binary);
        if (!in)
            return Error(Errc::NotFound, "open " + p + ": No such file or directory");
        return slurp(p);
    };
    auto inner_exists = o.file_exists;
    o.file_exists = [=](const std::string& p) {
        return p == path || (inner_exists ? inner_exists(p) : fs::is_regular_file(p));
    };
    return load_project(o);
}

const ExpectedFailure* expected_failure(const std::string& rel)
{
    for (const auto& f : kExpectedFailures)
        if (rel == f.file)
            return &f;
    return nullptr;
}

void check_fixed_point(const std::string& rel, bool with_stand_ins, const Project& p)
{
    std::string yaml = to_yaml(p);
    auto y2 = reload(rel, with_stand_ins, yaml);
    REQUIRE_MESSAGE(bool(y2), rel << ": config output does not load: " << (y2 ? "" : y2.error().render()) << "\n" << yaml);
    CHECK_MESSAGE(to_yaml(y2->project) == yaml, rel << ": YAML config is not a fixed point");
    CHECK_MESSAGE(y2->project.services == p.services, rel << ": services changed through YAML");
    CHECK_MESSAGE(y2->project.networks == p.networks, rel);
    CHECK_MESSAGE(y2->project.volumes == p.volumes, rel);

    std::string json = to_json(p);
    auto j2 = reload(rel, with_stand_ins, json);
    REQUIRE_MESSAGE(bool(j2), rel << ": JSON config output does not load: " << (j2 ? "" : j2.error().render()));
    CHECK_MESSAGE(to_json(j2->project) == json, rel << ": JSON config is not a fixed point");
    CHECK_MESSAGE(j2->project.services == p.services, rel << ": services changed through JSON");
}

} // namespace

TEST_SUITE("compose.loader.corpus") {

TEST_CASE("Corpus_EveryFileLoadsOrFailsAsExpected_AndConfigIsAFixedPoint")
{
    auto files = corpus_files();
    REQUIRE(files.size() >= 97); // the corpus README lists 39 + 58 files
    size_t loaded = 0;
    for (const auto& rel : files) {
        CAPTURE(rel);
        auto r = load_project(corpus_options(rel, false));
        if (const auto* f = expected_failure(rel)) {
            REQUIRE_MESSAGE(!r, rel << " should fail: " << f->reason);
            CHECK(r.error().summary() == expand(f->error));
            CHECK(r.error().code() == Errc::Invalid);
            continue;
        }
        REQUIRE_MESSAGE(bool(r), (r ? std::string() : r.error().render()));
        CHECK((!r->project.services.empty() || !r->project.disabled_services.empty()));
        check_fixed_point(rel, false, r->project);
        ++loaded;
    }
    CHECK(loaded == files.size() - std::size(kExpectedFailures));
}

TEST_CASE("Corpus_FilesMissingOnlyTheirEnvFilesOrBaseFileLoadOnceGivenThem")
{
    for (const auto& f : kExpectedFailures) {
        std::string rel = f.file;
        if (rel.find("wrong-composefile") != std::string::npos)
            continue;
        CAPTURE(rel);
        auto r = load_project(corpus_options(rel, true));
        REQUIRE_MESSAGE(bool(r), (r ? std::string() : r.error().render()));
        check_fixed_point(rel, true, r->project);
    }
}

TEST_CASE("Corpus_OfficialSchemaAgreesOnWhichFilesAreValid")
{
    auto official = loader::SchemaValidator::create(slurp(kShared + "/reference/compose-spec.schema.json"));
    REQUIRE_MESSAGE(bool(official), (official ? std::string() : official.error().message()));
    size_t rejected = 0;
    for (const auto& rel : corpus_files()) {
        CAPTURE(rel);
        auto file = loader::SourceFile::create(rel, kCorpus + "/" + rel, kCorpus, slurp(kCorpus + "/" + rel));
        auto tree = loader::parse_yaml(file);
        REQUIRE(tree);
        auto theirs = official->validate(*tree);
        auto ours = loader::validate_schema(*tree);
        CHECK_MESSAGE(bool(theirs) == bool(ours),
            (theirs ? std::string("official accepts") : "official: " + theirs.error().summary()) << "; "
                << (ours ? std::string("ours accepts") : "ours: " + ours.error().summary()));
        if (!theirs)
            ++rejected;
    }
    // The corpus README: only wrong-composefile/compose.yaml is invalid.
    CHECK(rejected == 1);
}

} // TEST_SUITE

#endif // WHARF_HAVE_SHARED
