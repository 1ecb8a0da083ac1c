// Refuses a request carrying fields this service's proto does not have.
//
// proto3 keeps the fields a reader does not know and would otherwise drop
// them without a word: a later Cirque's client asking for virtual WiFi over
// TCP or Bluetooth would get a device without them. Cirque ignored its own
// `daemons` field that way; this service says so instead.
//
// Pure; thread-safe.
#ifndef CIRQUE_SERVICE_UNKNOWN_FIELDS_H_
#define CIRQUE_SERVICE_UNKNOWN_FIELDS_H_

#include <google/protobuf/message.h>

namespace cirque::service {

// Throws Error (kInvalidArgument) naming the first unknown field's number
// and where it is ("CreateCirqueDeviceRequest.specification: field 11").
void RefuseUnknownFields(const google::protobuf::Message& message);

}  // namespace cirque::service

#endif  // CIRQUE_SERVICE_UNKNOWN_FIELDS_H_
