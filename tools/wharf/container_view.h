#pragma once
/// Container records as the CLI shows them: ps rows (Docker's field names, for --format)
/// and inspect documents (Docker's inspect shape plus LogPath, Mounts, State).

#include "engine/container/container_engine.h"

#include <nlohmann/json.hpp>

namespace wharf::cli {

/// One `ps` row: ID, Image, Command, CreatedAt, RunningFor, Ports, State, Status, Names,
/// Labels, LabelsMap, Mounts, Networks, Size, LocalVolumes. `no_trunc` keeps full ID/command.
nlohmann::ordered_json ps_row(const engine::ContainerRecord& r, bool no_trunc);
/// Docker's STATUS text: "Up 5 seconds (healthy)", "Exited (0) 3 minutes ago", "Created".
std::string status_text(const engine::ContainerRecord& r);
/// The `docker inspect` document of a container.
nlohmann::ordered_json inspect_document(const engine::ContainerEngine& eng, const engine::ContainerRecord& r);

} // namespace wharf::cli
