#!/usr/bin/env bash
# Regenerates Packages/ONNXProto/Sources/ONNXProto/onnx.pb.swift (the ONNX protobuf messages as Swift types,
# used only by the ExportONNX target) from the onnx.proto that the `onnx` Python package ships, and the
# provenance note and licence files beside it. The generated file is committed: hnas builds without protoc
# or a build plugin.
#
# Needs: protoc (Debian: protobuf-compiler); protoc-gen-swift built from apple/swift-protobuf at the
# version Package.swift names (on PATH, or PROTOC_GEN_SWIFT=/path/to/protoc-gen-swift), e.g.
#   git clone --branch 1.39.0 https://github.com/apple/swift-protobuf /tmp/swift-protobuf
#   (cd /tmp/swift-protobuf && swift build -c release --product protoc-gen-swift)
#   PROTOC_GEN_SWIFT=/tmp/swift-protobuf/.build/release/protoc-gen-swift Scripts/generate_onnx_proto.sh
# and the onnx Python package (pip install onnx==1.23.2).
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=Packages/ONNXProto
out=$pkg/Sources/ONNXProto
plugin=${PROTOC_GEN_SWIFT:-$(command -v protoc-gen-swift || true)}
[ -x "$plugin" ] || { echo "error: protoc-gen-swift not found (set PROTOC_GEN_SWIFT)" >&2; exit 1; }
command -v protoc >/dev/null || { echo "error: protoc not found (apt-get install protobuf-compiler)" >&2; exit 1; }
read -r onnx_dir onnx_version < <(python3 -c 'import onnx, os; print(os.path.dirname(onnx.__file__), onnx.__version__)')
dist=$(python3 -c 'import importlib.metadata as m; print(m.distribution("onnx")._path)')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$onnx_dir/onnx.proto" "$work/onnx.proto"
protoc --plugin=protoc-gen-swift="$plugin" --proto_path="$work" --swift_out="$work" \
    --swift_opt=Visibility=Public --swift_opt=FileNaming=FullPath "$work/onnx.proto"
mkdir -p "$out"
mv "$work/onnx.pb.swift" "$out/onnx.pb.swift"
cp "$dist/licenses/LICENSE" "$pkg/LICENSE-onnx.txt"
cp "$dist/licenses/NOTICE" "$pkg/NOTICE-onnx.txt"
plugin_version=$("$plugin" --version 2>&1 | head -1)
cat > "$pkg/README.md" <<NOTE
# ONNXProto — provenance of onnx.pb.swift

\`Sources/ONNXProto/onnx.pb.swift\` is generated, not written by hand: the Swift types of the ONNX
protobuf schema \`onnx.proto\` (package \`onnx\`, proto2), used by hnas's ExportONNX target to write
\`.onnx\` files with the apple/swift-protobuf runtime. Do not edit it; rerun
\`Scripts/generate_onnx_proto.sh\`. It is a package of its own (a path dependency of hnas) so that
SwiftPM does not build swift-protobuf's plugin tools — its vendored C++ \`protoc\` — with hnas (see
\`Package.swift\` here).

- Schema: \`onnx/onnx.proto\` from the \`onnx\` Python package, version $onnx_version
  (sha256 $(sha256sum "$onnx_dir/onnx.proto" | cut -d' ' -f1)).
- Licence: ONNX is Apache-2.0, Copyright (c) ONNX Project Contributors: \`LICENSE-onnx.txt\`, \`NOTICE-onnx.txt\`.
- Generator: $(protoc --version), $plugin_version, options \`Visibility=Public\`.
NOTE
echo "wrote $out/onnx.pb.swift from onnx $onnx_version"
