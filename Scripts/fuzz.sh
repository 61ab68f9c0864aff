#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ (swiftc -sanitize=fuzzer,address, not part of `swift build`)
# and runs each for a while, seeded from the test fixtures and the bad-input corpus.
#
#   Scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     default: 60 s, every target
#   targets: safetensors npy architecture tokenizer image audio
#
# The libraries a target needs are compiled from Sources/ with coverage instrumentation into
# .build/fuzz/; crashing inputs land in .build/fuzz/crashes/ and the script exits non-zero.
# Prints one summary line per target: executions, new coverage corpus size, crashes.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(safetensors npy architecture tokenizer image audio)

out=.build/fuzz
mkdir -p "$out/modules" "$out/crashes" "$out/logs"
swift_flags=(-sanitize=fuzzer,address -parse-as-library -O -g -I "$out/modules" -L "$out" -suppress-warnings)
engine_flags=(-I Sources/CBLAS $(pkg-config --cflags-only-I openblas))
if [ "$(uname -m)" = x86_64 ]; then engine_flags+=(-target-cpu haswell -D HNAS_SIMD_X86_64_V3); fi
clang="$(dirname "$(command -v swiftc)")/clang"

# library NAME "DEPENDENCIES" FLAGS... -- SOURCES...: one static library + module, rebuilt when a source or
# a dependency's library is newer (a changed HNASKit rebuilds the modality libraries compiled against it).
library() {
    local name="$1" dependencies="$2"; shift 2
    local flags=()
    while [ "$1" != -- ]; do flags+=("$1"); shift; done
    shift
    local archive="$out/lib$name.a" inputs=("$@")
    for dependency in $dependencies; do inputs+=("$out/lib$dependency.a"); done
    if [ -f "$archive" ] && [ -z "$(find "${inputs[@]}" -newer "$archive" | head -1)" ]; then return; fi
    echo "fuzz: compiling $name" >&2
    swiftc "${swift_flags[@]}" "${flags[@]}" -module-name "$name" -emit-module -emit-module-path "$out/modules/$name.swiftmodule" \
        -emit-library -static -o "$archive" "$@"
}

sources() { find "$@" -name '*.swift' | sort; }

library HNASEngine "" "${engine_flags[@]}" -- $(sources Sources/HNASEngine)
library HNASKit "HNASEngine" "${engine_flags[@]}" -- $(sources Sources/HNASKit)

link_flags=(-lHNASKit -lHNASEngine $(pkg-config --libs openblas))
for target in "${targets[@]}"; do
    extra=()
    case "$target" in
        safetensors) main=Fuzz/SafeTensorsFuzzer.swift; seeds=(Tests/HNASEngineTests/Fixtures Tests/HNASKitTests/Fixtures/ofa) ;;
        npy) main=Fuzz/NPYFuzzer.swift; seeds=(Tests/ModalityTextTests/Fixtures) ;;
        architecture) main=Fuzz/ArchitectureFuzzer.swift; seeds=(Examples Tests/SearchDARTSTests/Fixtures) ;;
        tokenizer)
            library ModalityText "HNASKit" -I Sources/CZlib "${engine_flags[@]}" -- $(sources Sources/ModalityText) Fuzz/Support/BundleModule.swift
            main=Fuzz/TokenizerFuzzer.swift; seeds=(Tests/ModalityTextTests/Fixtures); extra=(-lModalityText -I Sources/CZlib -lz) ;;
        image)
            mkdir -p "$out/cimagecodec"
            printf 'module CImageCodec {\n    header "%s"\n    export *\n}\n' "$PWD/Sources/CImageCodec/include/CImageCodec.h" \
                > "$out/cimagecodec/module.modulemap"
            if [ ! -f "$out/CImageCodec.o" ] || [ Sources/CImageCodec/CImageCodec.c -nt "$out/CImageCodec.o" ]; then
                "$clang" -c -O1 -g -fsanitize=fuzzer-no-link,address -I Sources/CImageCodec/include $(pkg-config --cflags libpng libjpeg) \
                    Sources/CImageCodec/CImageCodec.c -o "$out/CImageCodec.o"
            fi
            image_flags=(-I "$out/cimagecodec" -I Sources/CJPEG -I Sources/CPNG $(pkg-config --cflags-only-I libpng))
            library ModalityImage "HNASKit" "${image_flags[@]}" "${engine_flags[@]}" -- $(sources Sources/ModalityImage)
            main=Fuzz/ImageFuzzer.swift; seeds=(Tests/ModalityImageTests/Fixtures)
            extra=(-lModalityImage "${image_flags[@]}" "$out/CImageCodec.o" $(pkg-config --libs libjpeg libpng)) ;;
        audio)
            audio_flags=(-I Sources/CSndFile -I Sources/CFFTW)
            library ModalityAudio "HNASKit" "${audio_flags[@]}" "${engine_flags[@]}" -- $(sources Sources/ModalityAudio)
            main=Fuzz/AudioFuzzer.swift; seeds=(Tests/ModalityAudioTests/Fixtures)
            extra=(-lModalityAudio "${audio_flags[@]}" $(pkg-config --libs sndfile fftw3f)) ;;
        *) echo "fuzz: unknown target '$target'" >&2; exit 2 ;;
    esac
    binary="$out/$target-fuzzer"
    if [ ! -x "$binary" ] || [ -n "$(find "$main" "$out"/*.a -newer "$binary" | head -1)" ]; then
        echo "fuzz: linking $target" >&2
        # The linker warns about every ASan helper symbol; its output is kept in a log, shown on failure.
        swiftc "${swift_flags[@]}" "${engine_flags[@]}" "$main" "${extra[@]}" "${link_flags[@]}" -o "$binary" \
            >"$out/logs/$target.link.log" 2>&1 || { cat "$out/logs/$target.link.log" >&2; exit 1; }
    fi
    # Working corpus: the seeds (fixtures and the bad-input corpus) plus what the fuzzer found so far.
    corpus="$out/corpus/$target"
    mkdir -p "$corpus"
    find "${seeds[@]}" Tests/hnasTests/Fixtures/bad-inputs -type f -size -256k -exec cp -n {} "$corpus/" \; 2>/dev/null || true
    log="$out/logs/$target.log"
    status=0
    "$binary" "$corpus" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -timeout=10 \
        -artifact_prefix="$out/crashes/$target-" -print_final_stats=1 >"$log" 2>&1 || status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    size=$(ls "$corpus" | wc -l)
    crashes=$(ls "$out/crashes" | grep -c "^$target-" || true)
    echo "fuzz $target: ${seconds}s, $runs executions, corpus $size, crashes $crashes (exit $status, log $log)"
    [ "$status" -eq 0 ] || failed=1
done
[ -z "${failed:-}" ]
