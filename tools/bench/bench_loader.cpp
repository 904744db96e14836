// Loader benchmark: generates a compose file of N services (each with ports, volumes,
// environment, depends_on and a healthcheck) and times the whole load — parse, interpolate,
// merge, schema validation, canonicalisation, defaults and reference checks — from text in
// memory. Prints the minimum of several runs (the machine is shared: the minimum is the
// least disturbed figure), the median, and the time per service to show linearity.
//
//   build/tools/bench/bench_loader [RUNS] [N...]     (default: 7 runs of 100 1000 5000)
#include "compose/loader/loader.h"
#include "compose/loader/node.h"
#include "compose/loader/schema.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace wharf;

namespace {

std::string generate(int n)
{
    std::string y = "name: bench\nservices:\n";
    for (int i = 0; i < n; ++i) {
        std::string s = "svc" + std::to_string(i);
        y += "  " + s + ":\n";
        y += "    image: localhost/app:${TAG:-latest}\n";
        y += "    ports:\n      - \"" + std::to_string(10000 + i) + ":80\"\n      - \"127.0.0.1::9" +
             std::to_string(i % 1000) + "/udp\"\n";
        y += "    volumes:\n      - ./data/" + s + ":/data:ro\n      - shared:/shared\n      - /cache\n";
        y += "    environment:\n      - SERVICE=" + s + "\n      - LEVEL=${LEVEL:-info}\n      - HOME_DIR=$HOME\n";
        y += "    labels:\n      app.tier: \"" + std::to_string(i % 3) + "\"\n";
        if (i > 0)
            y += "    depends_on:\n      svc" + std::to_string(i - 1) + ":\n        condition: service_healthy\n";
        y += "    healthcheck:\n      test: [\"CMD\", \"wget\", \"-q\", \"-O-\", \"http://localhost/\"]\n"
             "      interval: 10s\n      timeout: 2s\n      retries: 3\n      start_period: 1m30s\n";
    }
    y += "volumes:\n  shared: {}\n";
    return y;
}

double load_ms(const std::string& yaml, int n)
{
    auto t0 = std::chrono::steady_clock::now();
    auto r = compose::load_from_string(yaml, "compose.yaml", "/bench", {{"HOME", "/home/bench"}});
    auto t1 = std::chrono::steady_clock::now();
    if (!r) {
        std::fprintf(stderr, "load failed: %s\n", r.error().render().c_str());
        std::exit(1);
    }
    if (static_cast<int>(r->project.services.size()) != n) {
        std::fprintf(stderr, "expected %d services, got %zu\n", n, r->project.services.size());
        std::exit(1);
    }
    return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

/// The YAML reader and the schema validator alone, for the breakdown.
std::pair<double, double> phase_ms(const std::string& yaml)
{
    auto file = compose::loader::SourceFile::create("compose.yaml", "/bench/compose.yaml", "/bench", yaml);
    auto t0 = std::chrono::steady_clock::now();
    auto tree = compose::loader::parse_yaml(file);
    auto t1 = std::chrono::steady_clock::now();
    auto ok = compose::loader::validate_schema(*tree);
    auto t2 = std::chrono::steady_clock::now();
    if (!ok)
        std::exit(1);
    return {std::chrono::duration<double, std::milli>(t1 - t0).count(),
        std::chrono::duration<double, std::milli>(t2 - t1).count()};
}

} // namespace

int main(int argc, char** argv)
{
    int runs = argc > 1 ? std::atoi(argv[1]) : 7;
    std::vector<int> sizes;
    for (int i = 2; i < argc; ++i)
        sizes.push_back(std::atoi(argv[i]));
    if (sizes.empty())
        sizes = {100, 1000, 5000};
    std::printf("%8s %10s %10s %10s %12s %10s %10s\n", "services", "bytes", "min ms", "median ms", "us/service",
        "parse ms", "schema ms");
    for (int n : sizes) {
        std::string yaml = generate(n);
        load_ms(yaml, n); // warm-up: the schema is compiled once per process
        std::vector<double> t;
        for (int r = 0; r < runs; ++r)
            t.push_back(load_ms(yaml, n));
        std::sort(t.begin(), t.end());
        double parse = 1e18, schema = 1e18;
        for (int r = 0; r < runs; ++r) {
            auto [p, v] = phase_ms(yaml);
            parse = std::min(parse, p);
            schema = std::min(schema, v);
        }
        std::printf("%8d %10zu %10.1f %10.1f %12.1f %10.1f %10.1f\n", n, yaml.size(), t.front(), t[t.size() / 2],
            1000.0 * t.front() / n, parse, schema);
    }
    return 0;
}
