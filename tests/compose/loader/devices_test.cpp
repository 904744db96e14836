#include "tests/compose/loader/load_helper.h"

using namespace wharf;
using namespace wharf::compose;
using namespace wharf::compose::test;

TEST_SUITE("compose.loader.devices") {

TEST_CASE("Devices_ShortAndLongForms")
{
    auto s = service("services:\n  web:\n    image: x\n    devices:\n      - /dev/fuse\n      - /dev/sda:/dev/xvda:r\n"
                     "      - \"/dev/null:\"\n      - {source: /dev/kvm}\n");
    REQUIRE(s.devices.size() == 4);
    CHECK(s.devices[0] == DeviceMapping{"/dev/fuse", "/dev/fuse", "rwm"});
    CHECK(s.devices[1] == DeviceMapping{"/dev/sda", "/dev/xvda", "r"});
    CHECK(s.devices[2] == DeviceMapping{"/dev/null", "/dev/null", "rwm"}); // empty parts take defaults (fuzzer)
    CHECK(s.devices[3] == DeviceMapping{"/dev/kvm", "/dev/kvm", "rwm"});
}

TEST_CASE("Devices_TooManyParts")
{
    CHECK(error_of("services:\n  web:\n    image: x\n    devices: [\"a:b:c:d\"]\n") ==
          "compose.yaml:4:15: services.web.devices[0]: invalid device \"a:b:c:d\"");
}

} // TEST_SUITE
