#pragma once
/// Docker's human texts for sizes and times (go-units). Pure; the current time is an input.

#include <cstdint>
#include <string>

namespace wharf::cli {

/// go-units HumanSizeWithPrecision: decimal units, `precision` significant digits ("4.87MB");
/// precision 4 is HumanSize (prune's "Total reclaimed space").
std::string human_size(double bytes, int precision);
/// Docker's HumanDuration(now - t) + " ago"; "" when t is 0 (unknown).
std::string time_ago(int64_t t, int64_t now);
/// Go's time.Unix(t, 0).String() in UTC: "2026-01-02 03:04:05 +0000 UTC".
std::string unix_time_text(int64_t t);

} // namespace wharf::cli
