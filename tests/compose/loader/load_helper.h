#pragma once
// Loading inline YAML in tests: an in-memory filesystem under /project, a given environment.
#include "compose/loader/loader.h"
#include "compose/model/serialize.h"

#include <doctest/doctest.h>

#include <map>
#include <string>

namespace wharf::compose::test {

struct FakeFs {
    std::map<std::string, std::string> files; ///< absolute path → content

    LoadOptions options(std::vector<std::string> compose_files = {}, std::map<std::string, std::string> env = {})
    {
        LoadOptions o;
        o.files = std::move(compose_files);
        o.working_dir = "/project";
        o.environment = std::move(env);
        auto* self = this;
        o.read_file = [self](const std::string& p) -> Result<std::string> {
            auto it = self->files.find(p);
            if (it == self->files.end())
                return Error(Errc::NotFound, "open " + p + ": No such file or directory");
            return it->second;
        };
        o.file_exists = [self](const std::string& p) { return self->files.count(p) > 0; };
        o.read_stdin = [self]() -> Result<std::string> { return self->files["-"]; };
        return o;
    }
};

inline Result<LoadedProject> load(const std::string& yaml, std::map<std::string, std::string> env = {})
{
    return load_from_string(yaml, "compose.yaml", "/project", env);
}

/// The loaded project, failing the test (with the error) if loading fails.
inline Project project(const std::string& yaml, std::map<std::string, std::string> env = {})
{
    auto r = load(yaml, std::move(env));
    if (!r)
        FAIL_CHECK(r.error().render());
    REQUIRE(r);
    return r->project;
}

inline ServiceConfig service(const std::string& yaml, const std::string& name = "web",
    std::map<std::string, std::string> env = {})
{
    Project p = project(yaml, std::move(env));
    auto it = p.services.find(name);
    REQUIRE(it != p.services.end());
    return it->second;
}

/// The one-line error of a load that must fail.
inline std::string error_of(const std::string& yaml, std::map<std::string, std::string> env = {})
{
    auto r = load(yaml, std::move(env));
    REQUIRE_FALSE(r);
    return r.error().summary();
}

} // namespace wharf::compose::test
