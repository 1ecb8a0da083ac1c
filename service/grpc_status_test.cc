#include "service/grpc_status.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace cirque::service {
namespace {

TEST(GrpcStatusTest, EveryErrorCodeHasItsStatus) {
  EXPECT_EQ(GrpcCodeFor(ErrorCode::kInvalidArgument), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(GrpcCodeFor(ErrorCode::kNotFound), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(GrpcCodeFor(ErrorCode::kConflict), grpc::StatusCode::ABORTED);
  EXPECT_EQ(GrpcCodeFor(ErrorCode::kFailedPrecondition), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(GrpcCodeFor(ErrorCode::kUnavailable), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(GrpcCodeFor(ErrorCode::kDeadlineExceeded), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(GrpcCodeFor(ErrorCode::kInternal), grpc::StatusCode::INTERNAL);
}

TEST(GrpcStatusTest, AnswerKeepsTheErrorsMessage) {
  EXPECT_TRUE(GrpcAnswer([] {}).ok());
  grpc::Status missing = GrpcAnswer([] { throw Error(ErrorCode::kNotFound, "no home 'h'; homes: none"); });
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(missing.error_message(), "no home 'h'; homes: none");
  grpc::Status other = GrpcAnswer([] { throw std::runtime_error("boom"); });
  EXPECT_EQ(other.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(other.error_message(), "boom");
}

}  // namespace
}  // namespace cirque::service
