#!/usr/bin/env python3
"""Tokens per second of `hnas tokenize` against CLIP's Python tokeniser on the same corpus, in one run.

The corpus is the fixture corpus (Tests/ModalityTextTests/Fixtures/clip_tokens.json, lines without
line breaks), written to a temporary file. Both sides load their vocabulary outside the timing, then
tokenise every line into a context-77 row, `--passes` times (the BPE memo is cold in the first pass and
warm afterwards, on both sides). Python times `SimpleTokenizer.__call__` (open_clip's, with OpenAI's
special-token spelling, as in make_clip_token_fixture.py); hnas reports its own timing with --stats.
The rows of both are compared before the figures are printed.

Python and hnas run alternately `--repeats` times; the median ratio is printed last.

Usage: python3 Scripts/bench_clip_tokenizer.py [--hnas .build/release/hnas] [--passes 20] [--repeats 5]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_clip_token_fixture import ROOT, load_reference_tokenizer  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hnas", default=os.path.join(ROOT, ".build", "release", "hnas"))
    parser.add_argument("--passes", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    with open(os.path.join(ROOT, "Tests", "ModalityTextTests", "Fixtures", "clip_tokens.json")) as f:
        entries = json.load(f)["entries"]
    lines = [e["text"] for e in entries if not e.get("mojibake") and not re.search(r"[\n\r]", e["text"])]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("".join(line + "\n" for line in lines))
        corpus = f.name

    _, tok = load_reference_tokenizer()
    tokens_per_pass = sum(len(tok.encode(line)) for line in lines)
    print(f"corpus: {len(lines)} lines, {tokens_per_pass} BPE tokens per pass, {args.passes} passes, "
          f"{args.repeats} alternating runs")
    ratios = []
    for run_index in range(args.repeats):
        _, tok = load_reference_tokenizer()  # fresh memo
        start = time.perf_counter()
        for _ in range(args.passes):
            rows = tok(lines, context_length=77)
        python_seconds = time.perf_counter() - start
        python_rate = tokens_per_pass * args.passes / python_seconds

        run = subprocess.run([args.hnas, "tokenize", "--file", corpus, "--stats", "--passes", str(args.passes)],
                             capture_output=True, text=True, check=True)
        if [json.loads(line) for line in run.stdout.splitlines()] != rows.tolist():
            sys.exit("hnas and CLIP disagree on the corpus rows")
        stats = dict(re.findall(r"(\w[\w/]*) ([\d.]+)", run.stderr))
        if int(stats["tokens"]) != tokens_per_pass * args.passes:
            sys.exit(f"token counts differ: hnas {stats['tokens']}, python {tokens_per_pass * args.passes}")
        hnas_rate = float(stats["tokens/s"])
        ratios.append(hnas_rate / python_rate)
        print(f"run {run_index + 1}: python {python_rate:10.0f} tokens/s, hnas {hnas_rate:10.0f} tokens/s, "
              f"ratio {ratios[-1]:.2f} (rows identical)")
    os.unlink(corpus)
    print(f"median ratio hnas / python: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
