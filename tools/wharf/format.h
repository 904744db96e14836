#pragma once
/// Docker's `--format`: Go text/template over JSON-shaped rows, for every listing and inspect.
///
///   ""/"table"      the verb's default table
///   "json"          one compact JSON object per row
///   "table TEMPLATE" a header row (field names mapped through `headers`) then one row each,
///                   aligned as Docker's tabwriter does (min width 10, padding 3)
///   "TEMPLATE"      one line per row
///
/// Templates: {{.Field.Sub}}, {{json .X}}, {{upper|lower|title .X}}, {{join .X ", "}},
/// {{index .Map "key"}}, {{.Label "key"}} (a row's Labels map), {{len .X}}, {{println .X}},
/// {{range .X}}…{{end}} (with {{.}} inside), {{if .X}}…{{else}}…{{end}}; `\t` and `\n`
/// in the format are tabs and newlines. Errors name the template's problem as Go's would.
/// A missing key of a map-typed field (Labels, Attributes, Options, Networks, … — known by
/// name, as the rows are JSON) prints `<no value>` as Go's does; a missing struct field fails.

#include "engine/base/result.h"

#include <functional>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace wharf::cli {

/// Renders `rows` with `format`. `default_table` is the template used for "" and "table";
/// `headers` maps field names to column titles ("ID" -> "CONTAINER ID").
Result<std::string> format_rows(const std::string& format, const std::vector<nlohmann::ordered_json>& rows,
                                const std::string& default_table, const std::map<std::string, std::string>& headers);

/// Renders one value with a template (no table handling): inspect's -f.
Result<std::string> format_one(const std::string& format, const nlohmann::ordered_json& value);

/// The output of an `inspect` verb: each name looked up with `lookup` (its error reported,
/// exit code 1, the others still shown); with no format or "json" one JSON array of all
/// documents, else the template once per document. Returns the exit code.
int print_inspect(const std::vector<std::string>& names, const std::string& format,
                  const std::function<Result<nlohmann::ordered_json>(const std::string&)>& lookup);

/// Aligns tab-separated lines as Go's tabwriter(minwidth 10, tabwidth 1, padding 3, ' ').
/// (`compose top` uses minwidth 5.)
std::string align_columns(const std::string& text, size_t min_width = 10);

} // namespace wharf::cli
