#pragma once
/// Internal phases of the loader pipeline (see loader.h for the order). Not a public API:
/// only loader.cpp, extends.cpp, include.cpp and checks.cpp use it.

#include "compose/loader/interpolation.h"
#include "compose/loader/loader.h"
#include "compose/loader/node.h"

#include <set>

namespace wharf::compose::loader {

/// Everything a load shares between phases.
struct LoadState {
    const LoadOptions& options;
    std::string home;
    std::set<std::string> unset_variables;
    std::vector<std::string> warnings;
    std::set<std::string> include_stack; ///< absolute paths of files being included (cycles)
};

/// Reads `path` (absolute), parses and interpolates it with `env`; relative paths inside
/// resolve against `base_dir`. `display` is the name errors print.
Result<Node> load_file_tree(LoadState& st, const std::string& display, const std::string& path,
    const std::string& base_dir, const Environment& env);

/// Phase 5: imports every `include:` entry of `tree` (then removes the key).
Result<void> apply_include(LoadState& st, Node& tree, const Environment& env);

/// Phase 6: resolves `extends` of every service of `tree` (a file's tree, after include).
Result<void> apply_extends(LoadState& st, Node& tree, const Environment& env);

/// Phases 11–12 on the typed project: defaults, resource names, reference checks. `tree`
/// is the merged tree (for error positions).
Result<void> apply_defaults_and_check(LoadState& st, Project& p, const Node& tree);

/// The mark of tree[path...] (map keys), or of the deepest node found.
Mark mark_at(const Node& tree, std::initializer_list<std::string_view> path);

/// Display name of a file path for messages: relative to `working_dir` when inside it.
std::string display_name(const std::string& path, const std::string& working_dir);

} // namespace wharf::compose::loader
