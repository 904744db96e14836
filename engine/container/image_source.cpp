#include "engine/container/image_source.h"

namespace wharf::engine {

ImageDefaults image_defaults(const ImageConfig& config)
{
    ImageDefaults d;
    d.env = config.env;
    d.cmd = config.cmd;
    d.entrypoint = config.entrypoint;
    d.working_dir = config.working_dir;
    d.user = config.user;
    d.stop_signal = config.stop_signal;
    d.healthcheck = config.healthcheck;
    d.exposed_ports = config.exposed_ports;
    d.volumes = config.volumes;
    return d;
}

Result<Image> apply_image(const ImageStore& store, CreateRequest& request)
{
    auto& c = request.config;
    auto image = store.resolve(c.image);
    if (!image) {
        if (image.error().code() != Errc::NotFound)
            return std::move(image).error();
        std::string shown = c.image;
        if (auto ref = ImageReference::parse(c.image))
            shown = ref->familiar();
        return Error(Errc::NotFound, "Unable to find image '" + shown + "' locally");
    }
    c.image_id = image->id.str();
    c.layer_dirs = image->layer_dirs();
    request.image = image_defaults(image->config);
    return image;
}

} // namespace wharf::engine
