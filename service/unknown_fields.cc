#include "service/unknown_fields.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/unknown_field_set.h>

#include <string>
#include <vector>

#include "cirque_test/util/error.h"

namespace cirque::service {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

void Refuse(const Message& message, const std::string& where) {
  const google::protobuf::Reflection* reflection = message.GetReflection();
  const google::protobuf::UnknownFieldSet& unknown = reflection->GetUnknownFields(message);
  if (!unknown.empty()) {
    throw Error(ErrorCode::kInvalidArgument,
                where + ": field " + std::to_string(unknown.field(0).number()) + " is not one of " +
                    message.GetDescriptor()->full_name() +
                    "'s fields in this service (it may be a later Cirque's); fix: leave it unset, or use a "
                    "cirque that serves it");
  }
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    const std::string path = where + "." + field->name();
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        Refuse(reflection->GetRepeatedMessage(message, field, i), path + "[" + std::to_string(i) + "]");
      }
    } else {
      Refuse(reflection->GetMessage(message, field), path);
    }
  }
}

}  // namespace

void RefuseUnknownFields(const Message& message) { Refuse(message, message.GetDescriptor()->name()); }

}  // namespace cirque::service
