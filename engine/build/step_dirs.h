#pragma once
/// StepDirs: the scratch space of one build step, `<scratch>/step-<pid>-XXXXXX/` with `upper/` and
/// `work/` (a RUN container's overlay dirs), `empty/` (a lower dir for a scratch rootfs) and
/// `layer.tar` (the step's layer before the store takes it). Removed with everything in it
/// on destruction, whether the step succeeded or failed. Movable, not copyable.

#include "engine/base/result.h"

#include <string>

namespace wharf::engine::build {

class StepDirs {
public:
    static Result<StepDirs> create(const std::string& scratch_root);
    StepDirs(StepDirs&& o) noexcept
        : m_dir(std::exchange(o.m_dir, {}))
    {
    }
    StepDirs& operator=(StepDirs&&) = delete;
    ~StepDirs();

    const std::string& dir() const { return m_dir; }
    std::string tar_path() const { return m_dir + "/layer.tar"; }
    Result<std::string> upper() const;
    Result<std::string> work() const;
    Result<std::string> empty_lower() const;

private:
    explicit StepDirs(std::string dir)
        : m_dir(std::move(dir))
    {
    }
    std::string m_dir;
};

} // namespace wharf::engine::build
