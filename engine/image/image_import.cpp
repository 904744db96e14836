// `import`: a rootfs tarball becomes a one-layer image.
#include "engine/image/image_archive.h"

namespace wharf::engine {

Result<Image> import_rootfs(ImageStore& store, const std::string& source, const std::optional<ImageReference>& tag,
                            const ImportOptions& opts)
{
    ImageDocument doc;
    Platform p = host_platform();
    if (!opts.platform.empty())
        p = TRY(parse_platform(opts.platform));
    doc.os = p.os;
    doc.architecture = p.architecture;
    doc.variant = p.variant;
    doc.created = rfc3339_now();
    for (auto& change : opts.changes)
        TRY(apply_change(doc.config, change));
    std::string path = source == "-" ? "/dev/stdin" : source;
    auto layer = TRY_CTX(store.add_layer_file(path), "import " + (source == "-" ? std::string("from stdin") : source));
    HistoryEntry h;
    h.created = doc.created;
    h.created_by = "";
    h.comment = opts.message.empty() ? "Imported from " + source : opts.message;
    doc.history.push_back(h);
    std::vector<ImageReference> tags;
    if (tag)
        tags.push_back(*tag);
    auto img = TRY(store.commit(doc, {layer}, tags));
    store.journal("import", img.id.str(), img.id.str()); // named by its ID, as Docker's
    return img;
}

} // namespace wharf::engine
