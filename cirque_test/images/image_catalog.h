// The node images cirque builds, in one place: their names, repositories,
// and which image each one is built on. Capabilities and fixtures name
// images through this catalogue, never by string literals of their own.
#ifndef CIRQUE_TEST_IMAGES_IMAGE_CATALOG_H_
#define CIRQUE_TEST_IMAGES_IMAGE_CATALOG_H_

#include <string>
#include <vector>

namespace cirque::images {

// Well-known image names.
inline constexpr const char* kBaseImage = "base";
inline constexpr const char* kWifiApImage = "wifi-ap";
inline constexpr const char* kWifiStationImage = "wifi-station";
inline constexpr const char* kGenericImage = "generic";

struct ImageDefinition {
  std::string name;        // "wifi-ap"; also the folder under the images dir
  std::string repository;  // "cirque/wifi-ap"
  // The image this one is built on, passed as build argument BASE; "" when
  // the Dockerfile names its own FROM.
  std::string parent;
  // True for the image whose build argument ROOTFS is a Debian root
  // filesystem made by debootstrap from the host's apt mirror.
  bool needs_rootfs = false;
};

using ImageCatalog = std::vector<ImageDefinition>;

// base, wifi-ap, wifi-station, generic: parents before children.
const ImageCatalog& NodeImages();

// Returns the definition named `name`. Throws Error (kInvalidArgument)
// listing the known names when there is none.
const ImageDefinition& FindImage(const ImageCatalog& catalog, const std::string& name);

}  // namespace cirque::images

#endif  // CIRQUE_TEST_IMAGES_IMAGE_CATALOG_H_
