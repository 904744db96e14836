#include "engine/container/create_request.h"

#include <algorithm>

namespace wharf::engine {

void merge_env(std::vector<std::string>& env, const std::vector<std::string>& more)
{
    for (const auto& e : more) {
        auto eq = e.find('=');
        if (eq == std::string::npos)
            continue;
        std::string key = e.substr(0, eq + 1);
        auto it = std::find_if(env.begin(), env.end(), [&](const std::string& x) { return x.rfind(key, 0) == 0; });
        if (it != env.end())
            *it = e;
        else
            env.push_back(e);
    }
}

ContainerConfig resolve_config(const CreateRequest& request)
{
    ContainerConfig c = request.config;
    const auto& img = request.image;
    if (request.entrypoint_set) {
        c.entrypoint = request.config.entrypoint;
        if (c.entrypoint.size() == 1 && c.entrypoint[0].empty())
            c.entrypoint.clear();
    } else {
        c.entrypoint = img.entrypoint;
        if (c.cmd.empty())
            c.cmd = img.cmd;
    }
    std::vector<std::string> env;
    env.push_back("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    if (!c.hostname.empty())
        env.push_back("HOSTNAME=" + c.hostname);
    if (c.tty)
        env.push_back("TERM=xterm");
    merge_env(env, img.env);
    merge_env(env, request.user_env);
    c.env = env;
    if (c.working_dir.empty())
        c.working_dir = img.working_dir;
    if (c.user.empty())
        c.user = img.user;
    if (c.stop_signal.empty())
        c.stop_signal = img.stop_signal;
    if (request.no_healthcheck) {
        c.healthcheck = HealthConfig{{"NONE"}};
    } else if (img.healthcheck || c.healthcheck) {
        HealthConfig h = img.healthcheck.value_or(HealthConfig{});
        if (c.healthcheck) {
            const auto& u = *c.healthcheck;
            if (!u.test.empty())
                h.test = u.test;
            if (u.interval_ns)
                h.interval_ns = u.interval_ns;
            if (u.timeout_ns)
                h.timeout_ns = u.timeout_ns;
            if (u.start_period_ns)
                h.start_period_ns = u.start_period_ns;
            if (u.start_interval_ns)
                h.start_interval_ns = u.start_interval_ns;
            if (u.retries)
                h.retries = u.retries;
        }
        if (h.test.empty())
            c.healthcheck.reset();
        else
            c.healthcheck = h;
    }
    for (const auto& p : img.exposed_ports)
        if (std::find(c.exposed_ports.begin(), c.exposed_ports.end(), p) == c.exposed_ports.end())
            c.exposed_ports.push_back(p);
    for (const auto& v : img.volumes) {
        bool covered = std::any_of(c.mounts.begin(), c.mounts.end(), [&](const MountSpec& m) { return m.target == v; });
        if (!covered) {
            MountSpec m;
            m.type = MountType::Volume;
            m.target = v;
            m.anonymous = true;
            c.mounts.push_back(m);
        }
    }
    return c;
}

} // namespace wharf::engine
