#pragma once
/// Helpers shared by the image verbs (pull, push, images, rmi, load, save, …): opening the
/// store of the current root, and Docker's time and ID display forms.

#include "engine/image/image_store.h"
#include "tools/wharf/verb.h"

#include <string>

namespace wharf::cli {

Result<engine::ImageStore> open_image_store(const Context& ctx);
/// "2 hours ago", "3 weeks ago", "About a minute ago" (Docker's HumanDuration + " ago").
std::string time_ago(int64_t unix_seconds);
/// Seconds since the epoch of an image's created time (0 when unknown).
int64_t created_seconds(const engine::Image& img);
bool stdout_is_terminal();

} // namespace wharf::cli

#include <nlohmann/json_fwd.hpp>
#include <vector>

namespace wharf::cli {

/// Docker's `image inspect` object for one image.
nlohmann::json image_inspect_json(const engine::Image& img);
/// Renders a Go-template subset over `value`: literal text, `{{.Field.Sub}}`, `{{json .X}}`,
/// `{{json .}}`; "json" alone = the value as one JSON line. Unknown fields -> error naming them.
Result<std::string> render_format(const std::string& format, const nlohmann::json& value);
/// Prints rows as Docker's tabwriter does (min width 10, padding 3); the first row is the header.
void print_table(const std::vector<std::vector<std::string>>& rows);

} // namespace wharf::cli
