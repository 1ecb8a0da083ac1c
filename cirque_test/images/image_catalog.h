// The node images cirque builds, in one place: their names, repositories,
// and which image each one is built on. Capabilities and fixtures name
// images through this catalogue, never by string literals of their own.
#ifndef CIRQUE_TEST_IMAGES_IMAGE_CATALOG_H_
#define CIRQUE_TEST_IMAGES_IMAGE_CATALOG_H_

#include <optional>
#include <string>
#include <vector>

namespace cirque::images {

// Well-known image names.
inline constexpr const char* kBaseImage = "base";
inline constexpr const char* kWifiApImage = "wifi-ap";
inline constexpr const char* kWifiStationImage = "wifi-station";
inline constexpr const char* kGenericImage = "generic";
// An X display: Xvnc, X clients (xmessage, xwininfo), xwd and netpbm.
inline constexpr const char* kXvncImage = "xvnc";
// OpenThread's ot-daemon and ot-ctl, and the static simulated radios in
// kThreadRadioDir for the Thread capability to copy into any node.
inline constexpr const char* kThreadImage = "thread";
inline constexpr const char* kThreadRadioDir = "/opt/cirque/openthread";

// Files an image is built from that are not in the repository (OpenThread,
// which the user gives): tools/setup stages them in a folder on this host,
// and the image is built only where they are. The builder adds the folder to
// the image's build context under `name` and hashes it with the image's own
// files, so other files give another tag.
struct ExternalInput {
  std::string name;         // "openthread": its folder's name in the context
  std::string what;         // "OpenThread programs", for messages
  std::string env;          // variable naming the staged folder
  std::string default_dir;  // the staged folder when `env` is unset or empty
  std::string fix;          // how to stage it: "to turn it on: ..."
};

struct ImageDefinition {
  std::string name;        // "wifi-ap"; also the folder under the images dir
  std::string repository;  // "cirque/wifi-ap"
  // The image this one is built on, passed as build argument BASE; "" when
  // the Dockerfile names its own FROM.
  std::string parent;
  // True for the image whose build argument ROOTFS is a Debian root
  // filesystem made by debootstrap from the host's apt mirror.
  bool needs_rootfs = false;
  // Set for an image built from files outside the repository.
  std::optional<ExternalInput> external_input;
  // Whether `cirque vm up` loads it into the VM's engine (when its
  // external input, if any, is there).
  bool for_vm = true;
};

using ImageCatalog = std::vector<ImageDefinition>;

// base, wifi-ap, wifi-station, generic, xvnc, thread: parents before children.
const ImageCatalog& NodeImages();

// Returns the definition named `name`. Throws Error (kInvalidArgument)
// listing the known names when there is none.
const ImageDefinition& FindImage(const ImageCatalog& catalog, const std::string& name);

}  // namespace cirque::images

#endif  // CIRQUE_TEST_IMAGES_IMAGE_CATALOG_H_
