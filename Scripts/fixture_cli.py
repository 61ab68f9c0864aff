"""The command line every dataset fixture generator in Scripts/ shares.

Without arguments a generator writes its small committed fixture; with `--bench N --out DIR` it writes
N samples of a realistic size into DIR instead, for `hnas data bench`-style measurements. Keeping the
parsing here gives the generators one behaviour (and one error for `--bench` without `--out`).
"""
import argparse


def run(write_fixture, write_bench, description=None):
    """Parses the command line and calls `write_fixture()` or `write_bench(out, n)`."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--bench", type=int, default=0, metavar="N",
                        help="write N realistic-size samples for benchmarks instead of the fixture")
    parser.add_argument("--out", metavar="DIR", help="with --bench: the folder to write")
    args = parser.parse_args()
    if args.bench:
        if not args.out:
            parser.error("--bench needs --out DIR")
        write_bench(args.out, args.bench)
    else:
        write_fixture()
