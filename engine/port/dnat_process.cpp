#include "engine/port/dnat_process.h"

#include "engine/sys/run_program.h"

#include <cerrno>
#include <cstdio>
#include <chrono>
#include <cstdlib>
#include <unistd.h>

namespace wharf::engine {

namespace {

constexpr const char* kVerb = "__port-dnat";
constexpr const char* kUsage = "usage: wharf __port-dnat install ROOT ID ADDRESS SUBNET BRIDGE MAPPING... | "
                               "remove ROOT ID (run by the container's monitor)";

std::string trimmed(std::string s)
{
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

} // namespace

std::vector<std::string> dnat_request_args(const DnatRequest& request)
{
    std::vector<std::string> args{kVerb};
    if (request.kind == DnatRequest::Kind::Remove) {
        args.insert(args.end(), {"remove", request.state_root, request.container_id});
        return args;
    }
    args.insert(args.end(), {"install", request.state_root, request.container_id, request.target.address,
                             request.target.subnet, request.target.bridge});
    for (const auto& p : request.ports)
        args.push_back(format_port_mapping(p));
    return args;
}

Result<DnatRequest> parse_dnat_request(const std::vector<std::string>& args)
{
    DnatRequest r;
    if (args.size() == 3 && args[0] == "remove") {
        r.kind = DnatRequest::Kind::Remove;
    } else if (args.size() >= 6 && args[0] == "install") {
        r.kind = DnatRequest::Kind::Install;
        r.target = {args[3], args[4], args[5]};
        for (size_t i = 6; i < args.size(); ++i)
            r.ports.push_back(TRY_CTX(parse_port_mapping(args[i]), kUsage));
    } else {
        return Error(Errc::Invalid, kUsage);
    }
    r.state_root = args[1];
    r.container_id = args[2];
    if (r.state_root.empty() || r.container_id.empty())
        return Error(Errc::Invalid, kUsage);
    return r;
}

Result<void> run_dnat_helper(const std::string& wharf_binary, const DnatRequest& request)
{
    std::vector<std::string> argv{wharf_binary};
    for (auto& a : dnat_request_args(request))
        argv.push_back(std::move(a));
    auto out = TRY(sys::run_program(argv, "", std::chrono::seconds(30)));
    if (out.exit_code == 0 && !out.err.empty()) // its WHARF_DEBUG lines (socket redirect)
        std::fputs(out.err.c_str(), stderr);
    if (out.exit_code != 0) {
        std::string why = trimmed(out.err);
        return Error(Errc::Sys, why.empty() ? wharf_binary + " " + kVerb + " exited with " +
                                                       std::to_string(out.exit_code)
                                                 : why);
    }
    return ok();
}

bool userland_proxy_forced()
{
    const char* v = std::getenv("WHARF_USERLAND_PROXY");
    if (!v)
        return false;
    std::string s(v);
    return s == "1" || s == "true" || s == "yes";
}

Result<std::string> wharf_beside_self()
{
    char buf[4096];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n < 0)
        return Error::from_errno("readlink(2) /proc/self/exe", errno);
    std::string self(buf, static_cast<size_t>(n));
    auto slash = self.rfind('/');
    return (slash == std::string::npos ? std::string(".") : self.substr(0, slash)) + "/wharf";
}

} // namespace wharf::engine
