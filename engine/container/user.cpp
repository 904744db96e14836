#include "engine/container/user.h"

#include "engine/base/split.h"

namespace wharf::engine {

namespace {
std::vector<std::string> fields(std::string_view line)
{
    auto f = split(line, ':');
    return {f.begin(), f.end()};
}

bool numeric(const std::string& s)
{
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}
} // namespace

Result<ResolvedUser> resolve_user(const std::string& spec, const std::string& passwd, const std::string& group)
{
    ResolvedUser u;
    std::string user = spec.substr(0, spec.find(':'));
    std::string grp = spec.find(':') == std::string::npos ? "" : spec.substr(spec.find(':') + 1);
    if (user.empty())
        user = "0";
    std::string user_name;
    bool found = false;
    for (std::string_view line : split_lines(passwd)) {
        auto f = fields(line);
        if (f.size() < 7)
            continue;
        if (f[0] == user || (numeric(user) && f[2] == user)) {
            u.uid = static_cast<uid_t>(std::stoul(f[2]));
            u.gid = static_cast<gid_t>(std::stoul(f[3]));
            u.home = f[5].empty() ? "/" : f[5];
            user_name = f[0];
            found = true;
            break;
        }
    }
    if (!found) {
        if (!numeric(user))
            return Error(Errc::NotFound, "unable to find user " + user + ": no matching entries in passwd file");
        u.uid = static_cast<uid_t>(std::stoul(user));
        u.gid = 0;
    }
    bool group_found = grp.empty();
    for (std::string_view line : split_lines(group)) {
        auto f = fields(line);
        if (f.size() < 3)
            continue;
        if (!grp.empty() && (f[0] == grp || (numeric(grp) && f[2] == grp))) {
            u.gid = static_cast<gid_t>(std::stoul(f[2]));
            group_found = true;
        }
        if (!user_name.empty() && f.size() >= 4) {
            for (std::string_view m : split(f[3], ','))
                if (m == user_name)
                    u.groups.push_back(static_cast<gid_t>(std::stoul(f[2])));
        }
    }
    if (!group_found) {
        if (!numeric(grp))
            return Error(Errc::NotFound, "unable to find group " + grp + ": no matching entries in group file");
        u.gid = static_cast<gid_t>(std::stoul(grp));
    }
    return u;
}

} // namespace wharf::engine
