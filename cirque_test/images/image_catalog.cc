#include "cirque_test/images/image_catalog.h"

#include "cirque_test/util/error.h"

namespace cirque::images {
namespace {

// tools/setup_openthread stages here, with the same variable and default.
ExternalInput OpenThreadInput() {
  return {"openthread", "OpenThread programs", "CIRQUE_OPENTHREAD_DIR", "/var/tmp/cirque/openthread",
          "to turn it on: OPENTHREAD_SRC=<an openthread checkout or .tar.xz> tools/setup"};
}

}  // namespace

const ImageCatalog& NodeImages() {
  static const ImageCatalog catalog = {
      {kBaseImage, "cirque/base", "", true},
      {kWifiApImage, "cirque/wifi-ap", kBaseImage, false},
      {kWifiStationImage, "cirque/wifi-station", kBaseImage, false},
      {kGenericImage, "cirque/generic", kBaseImage, false},
      // Not loaded into the VM: no VM-tier test uses it yet (issue 15 part 4).
      {kXvncImage, "cirque/xvnc", kBaseImage, false, std::nullopt, false},
      {kThreadImage, "cirque/thread", kWifiStationImage, false, OpenThreadInput()},
  };
  return catalog;
}

const ImageDefinition& FindImage(const ImageCatalog& catalog, const std::string& name) {
  std::string known;
  for (const auto& definition : catalog) {
    if (definition.name == name) return definition;
    known += (known.empty() ? "" : ", ") + definition.name;
  }
  throw Error(ErrorCode::kInvalidArgument,
              "image '" + name + "' is not defined; known images: " + known);
}

}  // namespace cirque::images
