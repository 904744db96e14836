#include "compose/execute/executor.h"

#include "compose/execute/condition.h"
#include "compose/plan/labels.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

namespace wharf::compose {

namespace {

class SteadyClock final : public Clock {
public:
    TimePoint now() override { return std::chrono::steady_clock::now(); }
    void sleep(std::chrono::milliseconds d) override { std::this_thread::sleep_for(d); }
};

Result<void> run_step(const Step& s, ComposeEngine& engine)
{
    const std::string& ref = s.container_id.empty() ? s.target : s.container_id;
    switch (s.kind) {
    case StepKind::CreateNetwork: return engine.create_network(s.network);
    case StepKind::CreateVolume: return engine.create_volume(s.volume);
    case StepKind::CreateContainer: {
        auto r = engine.create_container(*s.container);
        if (!r)
            return std::move(r).error();
        return ok();
    }
    case StepKind::StartContainer: return engine.start_container(ref);
    case StepKind::StopContainer: return engine.stop_container(ref, s.stop_timeout);
    case StepKind::RemoveContainer: return engine.remove_container(ref, true, s.remove_volumes);
    case StepKind::RemoveNetwork: return engine.remove_network(s.target);
    case StepKind::RemoveVolume: return engine.remove_volume(s.target);
    case StepKind::Wait: break;
    }
    return Error(Errc::Internal, "wait steps are not run on workers");
}

// A fixed pool of workers taking step indexes and reporting their results.
class Workers {
public:
    Workers(ComposeEngine& engine, const Plan& plan, int count) : m_engine(engine), m_plan(plan)
    {
        for (int i = 0; i < count; ++i)
            m_threads.emplace_back([this] { loop(); });
    }
    ~Workers()
    {
        {
            std::lock_guard lock(m_mutex);
            m_quit = true;
        }
        m_work_cv.notify_all();
        for (auto& t : m_threads)
            t.join();
    }
    void submit(size_t index)
    {
        {
            std::lock_guard lock(m_mutex);
            m_ready.push_back(index);
        }
        m_work_cv.notify_one();
    }
    /// Finished steps; waits up to `timeout` (nullopt: until one finishes) when there are none.
    std::vector<std::pair<size_t, Result<void>>> take(std::optional<std::chrono::milliseconds> timeout)
    {
        std::unique_lock lock(m_mutex);
        auto have = [this] { return !m_done.empty(); };
        if (timeout)
            m_done_cv.wait_for(lock, *timeout, have);
        else
            m_done_cv.wait(lock, have);
        std::vector<std::pair<size_t, Result<void>>> out;
        while (!m_done.empty()) {
            out.push_back(std::move(m_done.front()));
            m_done.pop_front();
        }
        return out;
    }

private:
    void loop()
    {
        for (;;) {
            size_t index;
            {
                std::unique_lock lock(m_mutex);
                m_work_cv.wait(lock, [this] { return m_quit || !m_ready.empty(); });
                if (m_ready.empty())
                    return;
                index = m_ready.front();
                m_ready.pop_front();
            }
            auto r = run_step(m_plan.steps[index], m_engine);
            {
                std::lock_guard lock(m_mutex);
                m_done.emplace_back(index, std::move(r));
            }
            m_done_cv.notify_one();
        }
    }

    ComposeEngine& m_engine;
    const Plan& m_plan;
    std::mutex m_mutex;
    std::condition_variable m_work_cv, m_done_cv;
    std::deque<size_t> m_ready;
    std::deque<std::pair<size_t, Result<void>>> m_done;
    bool m_quit = false;
    std::vector<std::thread> m_threads;
};

enum class State { Waiting, Ready, Running, Polling, Done, Failed, Skipped };

} // namespace

Clock& system_clock()
{
    static SteadyClock clock;
    return clock;
}

Result<void> execute(const Plan& plan, ComposeEngine& engine, Clock& clock, const ExecuteOptions& options)
{
    const size_t n = plan.steps.size();
    if (n == 0)
        return ok();
    std::vector<State> state(n, State::Waiting);
    std::vector<size_t> pending(n, 0);
    std::vector<std::vector<size_t>> followers(n);
    for (size_t i = 0; i < n; ++i)
        for (size_t a : plan.steps[i].after) {
            if (a == 0 || a > n || a - 1 >= i)
                return Error(Errc::Internal, "plan step " + std::to_string(i + 1) + " waits for step " +
                                                 std::to_string(a) + " [this is a bug]");
            ++pending[i];
            followers[a - 1].push_back(i);
        }
    std::set<size_t> ready; // by index: lower ids first, as the plan lists them
    for (size_t i = 0; i < n; ++i)
        if (pending[i] == 0) {
            state[i] = State::Ready;
            ready.insert(i);
        }
    auto emit = [&](size_t i, StepEvent::Kind k, std::string text = {}) {
        if (options.on_event)
            options.on_event(StepEvent{&plan.steps[i], k, std::move(text)});
    };

    std::optional<Error> failure;
    size_t running = 0;
    size_t finished = 0;
    std::vector<Clock::TimePoint> wait_since(n);
    std::optional<Clock::TimePoint> last_poll;
    std::set<size_t> polling;
    Workers workers(engine, plan, std::max(1, options.parallelism));

    auto complete = [&](size_t i) {
        state[i] = State::Done;
        ++finished;
        emit(i, StepEvent::Kind::Done);
        for (size_t f : followers[i])
            if (--pending[f] == 0 && state[f] == State::Waiting) {
                state[f] = State::Ready;
                ready.insert(f);
            }
    };
    auto fail = [&](size_t i, Error e) {
        state[i] = State::Failed;
        ++finished;
        emit(i, StepEvent::Kind::Failed, e.summary());
        if (!failure) {
            const auto& s = plan.steps[i];
            if (!s.service.empty())
                e.context("service \"" + s.service + "\"");
            failure = std::move(e);
        }
    };

    for (;;) {
        // Start what is ready, unless something failed.
        while (!failure && !ready.empty()) {
            size_t i = *ready.begin();
            const Step& s = plan.steps[i];
            if (s.kind == StepKind::Wait) {
                ready.erase(ready.begin());
                state[i] = State::Polling;
                wait_since[i] = clock.now();
                polling.insert(i);
                last_poll.reset(); // look at once: the condition may already hold
                emit(i, StepEvent::Kind::Began);
                continue;
            }
            if (running >= static_cast<size_t>(std::max(1, options.parallelism)))
                break;
            ready.erase(ready.begin());
            state[i] = State::Running;
            ++running;
            emit(i, StepEvent::Kind::Began);
            workers.submit(i);
        }
        // Poll the waits, at most once per poll interval (a list reads every record).
        bool poll_now = !polling.empty() && (!last_poll || clock.now() - *last_poll >= options.poll_interval);
        if (poll_now)
            last_poll = clock.now();
        if (!failure && poll_now) {
            for (auto it = polling.begin(); it != polling.end();) {
                size_t i = *it;
                const Step& s = plan.steps[i];
                auto records = engine.list_containers({{labels::kProject, options.project}, {labels::kService, s.service}});
                ConditionState c;
                if (!records) {
                    c = {Verdict::Failed, records.error().summary()};
                } else {
                    std::erase_if(*records, [](const auto& r) {
                        auto o = r.config.labels.find(labels::kOneoff);
                        return o != r.config.labels.end() && o->second == "True";
                    });
                    c = evaluate(s.wait, *records);
                }
                if (c.verdict == Verdict::Pending && s.wait == WaitFor::Ready && options.wait_timeout &&
                    clock.now() - wait_since[i] >= *options.wait_timeout)
                    c = {Verdict::Failed, "not ready after " + std::to_string(options.wait_timeout->count() / 1000) +
                                              "s (--wait-timeout)"};
                if (c.verdict == Verdict::Pending) {
                    ++it;
                    continue;
                }
                it = polling.erase(it);
                if (c.verdict == Verdict::Met) {
                    complete(i);
                } else if (!s.required) {
                    emit(i, StepEvent::Kind::Warning, c.reason);
                    complete(i);
                } else {
                    Error e(Errc::Conflict, "dependency failed: " + c.reason);
                    if (s.wait == WaitFor::Ready)
                        e = Error(Errc::Conflict, c.reason);
                    state[i] = State::Failed;
                    ++finished;
                    emit(i, StepEvent::Kind::Failed, c.reason);
                    if (!failure)
                        failure = std::move(e.context("service \"" + s.service + "\""));
                }
            }
        }
        if (failure && running == 0)
            break;
        if (!failure && running == 0 && polling.empty() && ready.empty())
            break;
        if (running == 0) {
            // A wait just completed: dispatch what it released at once.
            if (!failure && !ready.empty())
                continue;
            // Only waits left: nothing will wake us but time.
            clock.sleep(options.poll_interval);
            continue;
        }
        auto results = workers.take(polling.empty() ? std::nullopt : std::optional(options.poll_interval));
        for (auto& [i, r] : results) {
            --running;
            if (r)
                complete(i);
            else
                fail(i, std::move(r).error());
        }
    }

    for (size_t i = 0; i < n; ++i)
        if (state[i] == State::Waiting || state[i] == State::Ready || state[i] == State::Polling) {
            if (!failure)
                return Error(Errc::Internal, "plan stuck at step " + std::to_string(i + 1) + " (" +
                                                 describe(plan.steps[i]) + ") [this is a bug]");
            state[i] = State::Skipped;
            emit(i, StepEvent::Kind::Skipped);
        }
    if (failure)
        return std::move(*failure);
    (void)finished;
    return ok();
}

} // namespace wharf::compose
