// Per-step scratch directories (see step_dirs.h).
#include "engine/build/step_dirs.h"

#include "engine/sys/file.h"

#include <cerrno>
#include <cstdlib>
#include <unistd.h>
#include <vector>

namespace wharf::engine::build {

Result<StepDirs> StepDirs::create(const std::string& scratch_root)
{
    TRY(sys::make_dirs(scratch_root, 0700));
    // The pid in the name lets a later build sweep what a killed one left (build.h).
    std::string templ = scratch_root + "/step-" + std::to_string(::getpid()) + "-XXXXXX";
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data()))
        return Error::from_errno("mkdtemp " + templ, errno);
    return StepDirs(std::string(buf.data()));
}

StepDirs::~StepDirs()
{
    if (!m_dir.empty())
        (void)sys::remove_all(m_dir);
}

Result<std::string> StepDirs::upper() const
{
    TRY(sys::make_dirs(m_dir + "/upper"));
    return m_dir + "/upper";
}

Result<std::string> StepDirs::work() const
{
    TRY(sys::make_dirs(m_dir + "/work"));
    return m_dir + "/work";
}

Result<std::string> StepDirs::empty_lower() const
{
    TRY(sys::make_dirs(m_dir + "/empty"));
    return m_dir + "/empty";
}

} // namespace wharf::engine::build
