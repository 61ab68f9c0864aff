// The message types' runtime (Message, serializedData(), init(serializedBytes:)) for ONNXProto's users.
@_exported import SwiftProtobuf
