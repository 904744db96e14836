#pragma once
/// The multi-stage graph of a Dockerfile: global ARGs (before the first FROM), stages
/// (`FROM base [AS name]`), which stages the `--target` needs (through `FROM <stage>` and
/// `COPY --from=<stage|index>`), and the order to build them in.
///
/// FROM lines are expanded with the global ARGs only (build args override their defaults),
/// as the Dockerfile reference says. Fails on a duplicate stage name, an unknown target
/// ("target stage \"x\" could not be found"), a `COPY --from` naming the stage itself or a
/// later stage, or a Dockerfile whose first instruction is neither FROM nor ARG.
/// Pure; thread-safe.

#include "engine/build/dockerfile.h"
#include "engine/build/instruction.h"

#include <map>
#include <set>

namespace wharf::engine::build {

struct Stage {
    size_t index = 0;
    std::string name; ///< lower case, "" when unnamed
    FromCmd from; ///< expanded FROM
    const Instruction* from_instruction = nullptr;
    std::vector<const Instruction*> body; ///< instructions after FROM, in order
    std::optional<size_t> base_stage; ///< set when FROM names an earlier stage
    std::set<size_t> depends_on; ///< earlier stages this one reads (FROM / COPY --from)
};

struct StageGraph {
    std::vector<ArgDecl> global_args; ///< ARGs before the first FROM, defaults expanded
    VarMap global_vars; ///< their values after --build-arg overrides (set ones only)
    std::vector<Stage> stages;
    size_t target = 0; ///< the stage to build (last one unless --target)
    std::vector<size_t> order; ///< stages needed for the target, dependencies first

    /// The stage called `name` (lower-cased) or with that decimal index.
    std::optional<size_t> find(std::string_view name_or_index) const;
};

/// The ARGs Docker defines without a declaration (proxies; excluded from history) and the
/// platform ARGs BuildKit defines in the global scope.
const std::set<std::string, std::less<>>& predefined_args();
VarMap platform_args();

Result<StageGraph> plan_stages(
    const Dockerfile& df, const std::map<std::string, std::string>& build_args, const std::string& target);

} // namespace wharf::engine::build
