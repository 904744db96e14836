// The build executor (see builder.h): stages in order, one step per instruction, each
// looked up in the cache, COPY/ADD planned from source trees, RUN through the backend.
#include "engine/build/builder.h"

#include "engine/build/cache.h"
#include "engine/build/config_ops.h"
#include "engine/build/copy_plan.h"
#include "engine/build/stages.h"
#include "engine/build/step_dirs.h"
#include "engine/sys/file.h"

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/utsname.h>

namespace wharf::engine::build {
namespace {

using Clock = std::chrono::steady_clock;

std::string rfc3339_now()
{
    auto now = std::chrono::system_clock::now();
    auto secs = std::chrono::time_point_cast<std::chrono::seconds>(now);
    long nanos = static_cast<long>(std::chrono::duration_cast<std::chrono::nanoseconds>(now - secs).count());
    std::time_t t = std::chrono::system_clock::to_time_t(secs);
    std::tm tm {};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
        tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, nanos);
    return buf;
}

int64_t unix_now()
{
    return static_cast<int64_t>(std::time(nullptr));
}

struct StageState {
    nlohmann::json doc;
    std::vector<LayerRef> layers;
    VarMap args; ///< ARGs in scope that have a value
    std::string key; ///< cache chain key of the current state
    bool cmd_set = false;
    std::string last_created;
    std::vector<std::string> layer_dirs() const
    {
        std::vector<std::string> out;
        for (auto& l : layers)
            out.push_back(l.dir);
        return out;
    }
};

nlohmann::json scratch_document()
{
    utsname u {};
    uname(&u);
    std::string arch = platform_args().at("TARGETARCH");
    return {{"architecture", arch}, {"os", "linux"},
        {"config", {{"Env", {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}}}},
        {"rootfs", {{"type", "layers"}, {"diff_ids", nlohmann::json::array()}}},
        {"history", nlohmann::json::array()}};
}

/// Paths the runtime mounts over or creates for every container; changes to them are not
/// part of a RUN step's layer (Docker keeps them in a separate init layer).
bool runtime_owned(const std::string& path)
{
    static const std::set<std::string> files {
        "etc/hosts", "etc/hostname", "etc/resolv.conf", ".dockerenv", "etc/mtab"};
    if (files.contains(path))
        return true;
    for (const char* dir : {"dev", "proc", "sys", "run/.containerenv"})
        if (path == dir || path.starts_with(std::string(dir) + "/"))
            return true;
    return false;
}

class Builder {
public:
    Builder(const BuildRequest& req, BuildBackend& backend, ProgressSink& progress)
        : m_req(req)
        , m_backend(backend)
        , m_progress(progress)
        , m_cache(req.state_root)
    {
    }

    Result<BuildResult> run();

private:
    Result<void> run_stage(size_t index);
    Result<void> from_step(const Stage& stage, StageState& st, const StepInfo& info);
    Result<void> step(StageState& st, const Instruction& ins, const StepInfo& info, const Dockerfile& df);
    Result<void> arg_step(StageState& st, const ArgCmd& cmd, const StepInfo& info);
    Result<void> copy_step(StageState& st, const CopyCmd& cmd, const StepInfo& info);
    Result<void> run_step(StageState& st, const RunCmd& cmd, const StepInfo& info);
    Result<void> workdir_step(StageState& st, const WorkdirCmd& cmd, const StepInfo& info);

    VarMap scope(const StageState& st) const
    {
        VarMap v = st.args;
        for (auto& [k, val] : config_env(st.doc["config"]))
            v[k] = val; // ENV wins over ARG
        return v;
    }

    /// Looks up the step in the cache; returns the record on a usable hit.
    Result<std::optional<CacheRecord>> lookup(const std::string& key);
    /// Records the step's outcome in the state, history and cache.
    Result<void> commit_step(StageState& st, const std::string& key, const std::string& created_by,
        std::optional<LayerRef> layer, const std::string& created, const StepInfo& info, bool cached,
        Clock::time_point t0);

    const BuildRequest& m_req;
    BuildBackend& m_backend;
    ProgressSink& m_progress;
    BuildCache m_cache;
    Dockerfile m_df;
    StageGraph m_graph;
    std::unique_ptr<ContextTree> m_context;
    std::map<size_t, StageState> m_done;
    std::set<std::string> m_consumed_args;
    size_t m_step = 0, m_total = 0, m_cached = 0;
};

Result<std::optional<CacheRecord>> Builder::lookup(const std::string& key)
{
    if (m_req.no_cache)
        return std::optional<CacheRecord>();
    auto rec = TRY(m_cache.get(key));
    if (!rec)
        return rec;
    if (rec->layer) {
        auto found = TRY(m_backend.find_layer(*rec->layer));
        if (!found)
            return std::optional<CacheRecord>(); // the layer was removed since
        rec->layer = *found;
    }
    return rec;
}

Result<void> Builder::commit_step(StageState& st, const std::string& key, const std::string& created_by,
    std::optional<LayerRef> layer, const std::string& created, const StepInfo& info, bool cached,
    Clock::time_point t0)
{
    nlohmann::json h = {{"created", created}, {"created_by", created_by}};
    if (layer) {
        st.layers.push_back(*layer);
        st.doc["rootfs"]["diff_ids"].push_back(layer->diff_id);
    } else {
        h["empty_layer"] = true;
    }
    h["comment"] = "buildkit.dockerfile.v0";
    st.doc["history"].push_back(h);
    st.key = key;
    st.last_created = created;
    if (cached) {
        ++m_cached;
        m_progress.step_cached(info);
    } else {
        TRY(m_cache.put(key, CacheRecord {layer, created}));
    }
    double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    m_progress.step_done(info, key.substr(0, 12), secs);
    return ok();
}

Result<void> Builder::from_step(const Stage& stage, StageState& st, const StepInfo& info)
{
    auto t0 = Clock::now();
    m_progress.step_started(info);
    if (stage.base_stage) {
        st = m_done.at(*stage.base_stage);
        st.args.clear();
        st.cmd_set = false;
    } else if (stage.from.image == "scratch") {
        st.doc = scratch_document();
        st.key = step_key({"scratch"});
    } else {
        auto base = TRY(m_backend.resolve_image(stage.from.image, m_req.pull)); // the step frame names it
        try {
            st.doc = nlohmann::json::parse(base.config_json);
        } catch (const nlohmann::json::exception& e) {
            return Error(Errc::Invalid, std::string("invalid image config: ") + e.what())
                .context("FROM " + stage.from.image);
        }
        if (!st.doc.contains("history") || !st.doc["history"].is_array())
            st.doc["history"] = nlohmann::json::array();
        if (!st.doc.contains("config") || !st.doc["config"].is_object())
            st.doc["config"] = nlohmann::json::object();
        st.doc["rootfs"] = {{"type", "layers"}, {"diff_ids", nlohmann::json::array()}};
        for (auto& l : base.layers)
            st.doc["rootfs"]["diff_ids"].push_back(l.diff_id);
        st.layers = base.layers;
        st.key = step_key({"image", base.id});
        st.last_created = st.doc.value("created", "");
    }
    double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    m_progress.step_done(info, st.key.substr(0, 12), secs);
    return ok();
}

Result<void> Builder::arg_step(StageState& st, const ArgCmd& cmd, const StepInfo& info)
{
    auto t0 = Clock::now();
    std::string created_by = "ARG";
    for (auto& d : cmd.args) {
        std::optional<std::string> value;
        auto given = m_req.build_args.find(d.name);
        if (given != m_req.build_args.end()) {
            value = given->second;
            m_consumed_args.insert(d.name);
        } else if (d.default_value) {
            value = d.default_value;
        } else if (auto g = m_graph.global_vars.find(d.name); g != m_graph.global_vars.end()) {
            value = g->second; // a global ARG redeclared without a value keeps the global one
        }
        if (value)
            st.args[d.name] = *value;
        created_by += " " + d.name + (d.default_value ? "=" + *d.default_value : "");
    }
    std::string key = step_key({st.key, created_by, "args", [&] {
                                    std::string s;
                                    for (auto& [k, v] : st.args)
                                        s += k + "=" + v + "\n";
                                    return s;
                                }()});
    auto hit = TRY(lookup(key));
    return commit_step(
        st, key, created_by, std::nullopt, hit ? hit->created : rfc3339_now(), info, hit.has_value(), t0);
}

Result<void> Builder::workdir_step(StageState& st, const WorkdirCmd& cmd, const StepInfo& info)
{
    auto t0 = Clock::now();
    std::string current = st.doc["config"].value("WorkingDir", "");
    std::string path
        = cmd.path.starts_with('/') ? cmd.path : (current.empty() ? "/" : current) + "/" + cmd.path;
    path = "/" + (clean_path(path.substr(1)) == "." ? std::string() : clean_path(path.substr(1)));
    st.doc["config"]["WorkingDir"] = path;
    std::string created_by = "WORKDIR " + path;
    std::string key = step_key({st.key, created_by});
    if (auto hit = TRY(lookup(key)))
        return commit_step(st, key, created_by, hit->layer, hit->created, info, true, t0);
    // WORKDIR creates the directory when the rootfs lacks it: then it is a layer.
    MergedTree rootfs(st.layer_dirs(), m_backend.xattr_prefix());
    std::optional<LayerRef> layer;
    std::string rel = path.substr(1);
    if (!rel.empty() && !TRY(rootfs.stat(rel))) {
        LayerTar tar;
        std::string p;
        size_t start = 0;
        while (start <= rel.size()) {
            size_t slash = rel.find('/', start);
            if (slash == std::string::npos)
                slash = rel.size();
            p = rel.substr(0, slash);
            auto existing = TRY(rootfs.stat(p));
            TarEntry d;
            d.kind = TarEntry::Kind::Dir;
            d.mode = existing ? existing->st.st_mode & 07777 : 0755;
            d.uid = existing ? existing->st.st_uid : 0;
            d.gid = existing ? existing->st.st_gid : 0;
            d.mtime = existing ? existing->st.st_mtim.tv_sec : unix_now();
            tar.add(p, d);
            start = slash + 1;
        }
        auto dirs = TRY(StepDirs::create(m_backend.scratch_dir()));
        TRY(tar.write(dirs.tar_path()));
        layer = TRY(m_backend.add_layer(dirs.tar_path()));
    }
    return commit_step(st, key, created_by, layer, rfc3339_now(), info, false, t0);
}

Result<void> Builder::copy_step(StageState& st, const CopyCmd& cmd, const StepInfo& info)
{
    auto t0 = Clock::now();
    std::unique_ptr<SourceTree> owned;
    const SourceTree* source = m_context.get();
    if (!cmd.from.empty()) {
        if (auto dep = m_graph.find(cmd.from); dep && m_done.contains(*dep)) {
            owned = std::make_unique<MergedTree>(m_done.at(*dep).layer_dirs(), m_backend.xattr_prefix());
        } else {
            auto img = TRY_CTX(m_backend.resolve_image(cmd.from, m_req.pull), "COPY --from=" + cmd.from);
            std::vector<std::string> dirs;
            for (auto& l : img.layers)
                dirs.push_back(l.dir);
            owned = std::make_unique<MergedTree>(std::move(dirs), m_backend.xattr_prefix());
        }
        source = owned.get();
    }
    MergedTree rootfs(st.layer_dirs(), m_backend.xattr_prefix());
    CopyPlanInput in {
        &cmd, source, cmd.from.empty(), &rootfs, st.doc["config"].value("WorkingDir", "/"), unix_now()};
    auto plan = TRY(plan_copy(in));

    std::string created_by = cmd.add ? "ADD" : "COPY";
    if (!cmd.from.empty())
        created_by += " --from=" + cmd.from;
    if (!cmd.chown.empty())
        created_by += " --chown=" + cmd.chown;
    if (cmd.chmod) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04o", *cmd.chmod);
        created_by += std::string(" --chmod=") + buf;
    }
    for (auto& s : cmd.sources)
        created_by += " " + s;
    for (auto& h : cmd.heredocs)
        created_by += " <<" + h.name;
    created_by += " " + cmd.dest + " # buildkit";
    std::string key = step_key({st.key, created_by, plan.content_digest});
    if (auto hit = TRY(lookup(key)))
        return commit_step(st, key, created_by, hit->layer, hit->created, info, true, t0);
    std::optional<LayerRef> layer;
    if (!plan.tar.empty()) {
        auto dirs = TRY(StepDirs::create(m_backend.scratch_dir()));
        TRY(plan.tar.write(dirs.tar_path()));
        layer = TRY(m_backend.add_layer(dirs.tar_path()));
    }
    return commit_step(st, key, created_by, layer, rfc3339_now(), info, false, t0);
}

Result<void> Builder::run_step(StageState& st, const RunCmd& cmd, const StepInfo& info)
{
    auto t0 = Clock::now();
    auto& config = st.doc["config"];
    std::vector<std::string> argv = cmd.command.resolve(config_shell(config));
    // Build args in scope become the step's environment (ENV wins) and, except the
    // predefined proxy ones, part of its history text and cache key, as Docker does.
    VarMap env_map = config_env(config);
    std::vector<std::string> env;
    std::string args_prefix;
    size_t nargs = 0;
    for (auto& [k, v] : st.args) {
        if (predefined_args().contains(k))
            continue;
        args_prefix += " " + k + "=" + v;
        ++nargs;
    }
    std::string argv_text;
    for (auto& a : argv)
        argv_text += (argv_text.empty() ? "" : " ") + a;
    std::string created_by = "RUN "
        + (nargs ? "|" + std::to_string(nargs) + args_prefix + " " : std::string()) + argv_text
        + " # buildkit";
    std::string network = cmd.network.empty() || cmd.network == "default" ? m_req.network : cmd.network;
    std::string key = step_key({st.key, created_by, "network=" + network});
    if (auto hit = TRY(lookup(key)))
        return commit_step(st, key, created_by, hit->layer, hit->created, info, true, t0);

    for (auto& [k, v] : st.args)
        if (!env_map.contains(k))
            env.push_back(k + "=" + v);
    for (auto& [k, v] : m_req.build_args)
        if (predefined_args().contains(k) && !env_map.contains(k) && !st.args.contains(k)) {
            env.push_back(k + "=" + v);
            m_consumed_args.insert(k);
        }
    if (config.contains("Env") && config["Env"].is_array())
        for (auto& e : config["Env"])
            env.push_back(e.get<std::string>());

    auto dirs = TRY(StepDirs::create(m_backend.scratch_dir()));
    RunSpec spec;
    spec.lower_dirs = st.layer_dirs();
    if (spec.lower_dirs.empty())
        spec.lower_dirs.push_back(TRY(dirs.empty_lower()));
    spec.upper_dir = TRY(dirs.upper());
    spec.work_dir = TRY(dirs.work());
    spec.argv = argv;
    spec.env = env;
    spec.user = config.value("User", "");
    spec.cwd = config.value("WorkingDir", "");
    if (spec.cwd.empty())
        spec.cwd = "/";
    spec.network = network;
    spec.output = [this](std::string_view chunk) { m_progress.output(chunk); };
    int code = TRY(m_backend.run(spec));
    if (code != 0) {
        std::string shown;
        for (auto& a : argv)
            shown += (shown.empty() ? "" : " ") + a;
        return Error(Errc::Invalid,
            "process " + go_quote(shown)
                + " did not complete successfully: exit code: " + std::to_string(code));
    }
    LayerTar tar;
    TRY(tar.add_upper_dir(spec.upper_dir, m_backend.xattr_prefix()));
    LayerTar kept;
    for (auto& [path, e] : tar.entries())
        if (!runtime_owned(path))
            kept.add(path, e);
    // A directory copied up only because the runtime touched a child it owns is no change.
    for (const char* parent : {"etc", "run"}) {
        bool has_child = false;
        for (auto& [path, e] : kept.entries())
            if (path.starts_with(std::string(parent) + "/"))
                has_child = true;
        if (kept.has(parent) && !has_child) {
            MergedTree lower(spec.lower_dirs, m_backend.xattr_prefix());
            auto before = TRY(lower.stat(parent));
            auto& e = kept.entries().at(parent);
            if (before && (before->st.st_mode & 07777) == e.mode && before->st.st_uid == e.uid
                && before->st.st_gid == e.gid) {
                LayerTar pruned;
                for (auto& [path, entry] : kept.entries())
                    if (path != parent)
                        pruned.add(path, entry);
                kept = std::move(pruned);
            }
        }
    }
    std::optional<LayerRef> layer;
    if (!kept.empty()) {
        TRY(kept.write(dirs.tar_path()));
        layer = TRY(m_backend.add_layer(dirs.tar_path()));
    }
    return commit_step(st, key, created_by, layer, rfc3339_now(), info, false, t0);
}

Result<void> Builder::step(StageState& st, const Instruction& ins, const StepInfo& info, const Dockerfile& df)
{
    m_progress.step_started(info);
    auto command = TRY(interpret(ins, scope(st), df));
    if (auto* a = std::get_if<ArgCmd>(&command))
        return arg_step(st, *a, info);
    if (auto* c = std::get_if<CopyCmd>(&command))
        return copy_step(st, *c, info);
    if (auto* r = std::get_if<RunCmd>(&command))
        return run_step(st, *r, info);
    if (auto* w = std::get_if<WorkdirCmd>(&command))
        return workdir_step(st, *w, info);
    if (std::holds_alternative<FromCmd>(command))
        return Error(Errc::Internal, "FROM inside a stage body");
    auto t0 = Clock::now();
    std::string created_by = apply_metadata(st.doc, command, st.cmd_set);
    std::string key = step_key({st.key, created_by});
    auto hit = TRY(lookup(key));
    return commit_step(
        st, key, created_by, std::nullopt, hit ? hit->created : rfc3339_now(), info, hit.has_value(), t0);
}

Result<void> Builder::run_stage(size_t index)
{
    const Stage& stage = m_graph.stages[index];
    StageState st;
    auto frame = [&](const Instruction& ins, const StepInfo& info) {
        return "Step " + std::to_string(info.number) + "/" + std::to_string(info.total) + " : "
            + (ins.original.size() > 200 ? ins.original.substr(0, 200) + "…" : ins.original);
    };
    std::string stage_name = m_graph.stages.size() < 2 ? std::string()
        : stage.name.empty()                           ? "stage-" + std::to_string(stage.index)
                                                       : stage.name;
    size_t stage_steps = 1 + stage.body.size(), stage_step = 0;
    auto info_for = [&](size_t number, std::string text) {
        return StepInfo {number, m_total, std::move(text), stage_name, stage_step, stage_steps};
    };
    ++stage_step;
    StepInfo from_info = info_for(++m_step, stage.from_instruction->original);
    if (auto r = from_step(stage, st, from_info); !r)
        return std::move(r)
            .error()
            .context(frame(*stage.from_instruction, from_info))
            .at(m_df.loc(stage.from_instruction->line));

    // ONBUILD triggers of the base image run right after FROM, then are dropped.
    std::vector<std::string> triggers;
    if (!stage.base_stage && st.doc["config"].contains("OnBuild") && st.doc["config"]["OnBuild"].is_array())
        triggers = st.doc["config"]["OnBuild"].get<std::vector<std::string>>();
    st.doc["config"].erase("OnBuild");
    for (auto& t : triggers) {
        auto tdf = parse_dockerfile(t, "ONBUILD trigger");
        if (!tdf)
            return std::move(tdf).error().context(frame(*stage.from_instruction, from_info));
        for (auto& ins : tdf->instructions) {
            StepInfo info = info_for(m_step, "ONBUILD " + ins.original);
            if (auto r = step(st, ins, info, *tdf); !r)
                return std::move(r).error().context("ONBUILD " + ins.original);
        }
    }
    for (const Instruction* ins : stage.body) {
        ++stage_step;
        StepInfo info = info_for(++m_step, ins->original);
        if (auto r = step(st, *ins, info, m_df); !r) {
            Error e = std::move(r).error();
            if (!e.loc())
                e.at(m_df.loc(ins->line));
            return std::move(e).context(frame(*ins, info));
        }
    }
    m_done[index] = std::move(st);
    return ok();
}

Result<BuildResult> Builder::run()
{
    std::string ctx = m_req.context_dir.empty() ? "." : m_req.context_dir;
    if (!sys::exists(ctx))
        return Error(Errc::NotFound, "unable to prepare context: path \"" + ctx + "\" not found");
    std::string text, df_name;
    if (m_req.dockerfile_inline) {
        text = *m_req.dockerfile_inline;
        df_name = "Dockerfile";
    } else {
        std::string rel = m_req.dockerfile.empty() ? "Dockerfile" : m_req.dockerfile;
        std::string path = rel.starts_with('/') ? rel : ctx + "/" + rel;
        auto read = sys::read_file(path);
        if (!read)
            return Error(Errc::NotFound, "failed to read dockerfile: " + read.error().message());
        text = std::move(*read);
        df_name = rel;
        // BuildKit prefers <Dockerfile>.dockerignore beside the Dockerfile.
        if (sys::exists(path + ".dockerignore"))
            m_context = std::make_unique<ContextTree>(
                ctx, IgnoreMatcher::parse(TRY(sys::read_file(path + ".dockerignore"))));
    }
    if (!m_context) {
        IgnoreMatcher ignore;
        if (sys::exists(ctx + "/.dockerignore"))
            ignore = IgnoreMatcher::parse(TRY(sys::read_file(ctx + "/.dockerignore")));
        m_context = std::make_unique<ContextTree>(ctx, std::move(ignore));
    }
    m_df = TRY(parse_dockerfile(text, df_name));
    m_graph = TRY(plan_stages(m_df, m_req.build_args, m_req.target));
    for (auto& a : m_graph.global_args)
        if (m_req.build_args.contains(a.name))
            m_consumed_args.insert(a.name);
    for (size_t s : m_graph.order)
        m_total += 1 + m_graph.stages[s].body.size();

    for (size_t s : m_graph.order)
        TRY(run_stage(s));

    StageState& final = m_done.at(m_graph.target);
    if (!m_req.labels.empty()) {
        auto& labels = final.doc["config"]["Labels"];
        if (!labels.is_object())
            labels = nlohmann::json::object();
        for (auto& [k, v] : m_req.labels)
            labels[k] = v;
    }
    final.doc["created"] = final.last_created.empty() ? rfc3339_now() : final.last_created;
    BuildResult result;
    result.image_id = TRY(m_backend.commit(final.doc.dump(), final.layers, m_req.tags));
    result.tags = m_req.tags;
    result.steps = m_step;
    result.cached = m_cached;
    std::vector<std::string> unused;
    for (auto& [k, v] : m_req.build_args)
        if (!m_consumed_args.contains(k) && !predefined_args().contains(k))
            unused.push_back(k);
    if (!unused.empty()) {
        std::string list;
        for (auto& u : unused)
            list += (list.empty() ? "" : " ") + u;
        result.warnings.push_back("[Warning] One or more build-args [" + list + "] were not consumed");
        m_progress.message(result.warnings.back());
    }
    return result;
}

} // namespace

std::string StepInfo::label() const
{
    return "[" + (stage.empty() ? std::string() : stage + " ") + std::to_string(stage_step) + "/"
        + std::to_string(stage_steps) + "]";
}

Result<BuildResult> build(const BuildRequest& request, BuildBackend& backend, ProgressSink& progress)
{
    Builder b(request, backend, progress);
    return b.run();
}

} // namespace wharf::engine::build
