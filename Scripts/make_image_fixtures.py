#!/usr/bin/env python3
"""Generates the ModalityImage test fixtures (Tests/ModalityImageTests/Fixtures/).

Reference decoders and transforms are Pillow (13) and PyTorch (2.13 CPU). torchvision cannot be
used here: the PyPI wheels that require torch 2.13 are CUDA builds whose C extension does not load
against the CPU torch. For PIL images torchvision's transforms are thin wrappers, reproduced here
from their documented behaviour:
  Resize(int s)   -> shorter side s, longer side int(s * long / short), PIL img.resize(..., filter)
  CenterCrop(s)   -> top = int(round((H - s) / 2)), left = int(round((W - s) / 2)), img.crop
  ToTensor        -> torch.from_numpy(array).permute(2, 0, 1).float().div(255)
  Normalize(m, s) -> (t - m[:, None, None]) / s[:, None, None] in float32
The MM-IMDB resize is torch.nn.functional.interpolate(bilinear, align_corners=False) + round.

Outputs: image files, raw expected arrays (.u8 = uint8, .f32 = little-endian float32) and
manifest.json describing every case. Run from the repository root:
    python3 Scripts/make_image_fixtures.py
"""
import io
import json
import os
import struct
import zlib

import numpy as np
import torch
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ModalityImageTests", "Fixtures")
CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
rng = np.random.default_rng(20240607)
manifest = {"gray": [], "decode": [], "resize": [], "pipeline": [], "bilinear": [], "broken": []}


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def photo(width, height, channels=3):
    """A smooth picture with edges and a little noise: compresses well, still exercises filters."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    planes = []
    for c in range(channels):
        v = 128 + 90 * np.sin(x / (3.0 + c) + y / 7.0) * np.cos(y / (5.0 + 2 * c))
        v += np.where((x // 9 + y // 7 + c) % 2 == 0, 40, -40)
        v += rng.normal(0, 6, size=v.shape)
        planes.append(np.clip(np.round(v), 0, 255))
    a = np.stack(planes, axis=-1).astype(np.uint8)
    return a[..., 0] if channels == 1 else a


# ---------------------------------------------------------------- raw PNG writer (any colour type)
def png_bytes(width, height, color_type, bit_depth, rows, palette=None, trns=None, interlace=False):
    """rows: list of lists of sample values (per pixel, per channel flattened)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]

    def pack(row_samples):
        if bit_depth == 16:
            return b"".join(struct.pack(">H", v) for v in row_samples)
        if bit_depth == 8:
            return bytes(row_samples)
        out, acc, nbits = bytearray(), 0, 0
        for v in row_samples:
            acc = (acc << bit_depth) | v
            nbits += bit_depth
            if nbits == 8:
                out.append(acc)
                acc, nbits = 0, 0
        if nbits:
            out.append(acc << (8 - nbits))
        return bytes(out)

    raw = bytearray()
    if interlace:  # Adam7 passes: (x0, y0, dx, dy)
        for x0, y0, dx, dy in [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]:
            if x0 >= width or y0 >= height:
                continue
            for y in range(y0, height, dy):
                samples = []
                for x in range(x0, width, dx):
                    samples += rows[y][x * channels:(x + 1) * channels]
                raw += b"\x00" + pack(samples)
    else:
        for r in rows:
            raw += b"\x00" + pack(r)
    body = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 1 if interlace else 0))
    if palette is not None:
        body += chunk(b"PLTE", bytes(np.asarray(palette, dtype=np.uint8).flatten()))
    if trns is not None:
        body += chunk(b"tRNS", trns)
    body += chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def pil_pixels(data):
    """PIL's 8-bit gray or RGB pixels of an encoded image, as hnas's decoder defines them."""
    im = Image.open(io.BytesIO(data))
    im.load()
    if data[25] == 4 and im.mode == "RGBA":  # PNG colour type 4 at 16 bits: PIL expands gray+alpha to RGBA
        a = np.asarray(im)[..., 0]
    elif im.mode in ("I;16", "I;16B", "I"):
        a = (np.asarray(im).astype(np.uint32) >> 8).astype(np.uint8)  # high byte (see manifest note)
    elif im.mode in ("L", "1", "LA"):
        a = np.asarray(im.convert("L"))
    else:
        a = np.asarray(im.convert("RGB"))
    return a


def add_decode(name, data, tolerance, note=""):
    write(name, data)
    a = pil_pixels(data)
    channels = 1 if a.ndim == 2 else 3
    write(name + ".u8", a.astype(np.uint8).tobytes())
    manifest["decode"].append({"file": name, "width": a.shape[1], "height": a.shape[0], "channels": channels,
                               "expected": name + ".u8", "tolerance": tolerance, "note": note})


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))

    # ------------------------------------------------------------ PNG: every colour type
    w, h = 19, 13
    rgb = photo(w, h)
    gray = photo(w, h, 1)
    alpha = rng.integers(0, 256, size=(h, w), dtype=np.uint8)
    for name, mode, arr in [("gray8.png", "L", gray), ("rgb8.png", "RGB", rgb),
                            ("gray_alpha8.png", "LA", np.dstack([gray, alpha])),
                            ("rgba8.png", "RGBA", np.dstack([rgb, alpha]))]:
        buf = io.BytesIO()
        Image.fromarray(arr, mode).save(buf, "PNG", optimize=True)
        add_decode(name, buf.getvalue(), 0)
    buf = io.BytesIO()
    Image.fromarray(rgb).quantize(colors=16).save(buf, "PNG", bits=4)
    add_decode("palette4.png", buf.getvalue(), 0)
    pal = rng.integers(0, 256, size=(256, 3))
    idx = rng.integers(0, 256, size=(h, w))
    add_decode("palette8_trns.png", png_bytes(w, h, 3, 8, [list(r) for r in idx], palette=pal, trns=bytes(range(0, 256, 3))), 0)
    add_decode("gray8_trns.png", png_bytes(w, h, 0, 8, [list(r) for r in gray], trns=struct.pack(">H", int(gray[0, 0]))), 0)
    add_decode("rgb8_trns.png", png_bytes(w, h, 2, 8, [list(r.flatten()) for r in rgb], trns=struct.pack(">HHH", *map(int, rgb[0, 0]))), 0)
    for depth in (1, 2, 4):
        vals = rng.integers(0, 1 << depth, size=(h, w))
        add_decode(f"gray{depth}.png", png_bytes(w, h, 0, depth, [list(r) for r in vals]), 0)
    g16 = rng.integers(0, 65536, size=(h, w))
    add_decode("gray16.png", png_bytes(w, h, 0, 16, [list(r) for r in g16]), 0,
               "PIL opens 16-bit gray as I;16; expected = value >> 8 (PIL's own convert('L') clips at 255)")
    c16 = rng.integers(0, 65536, size=(h, w * 3))
    add_decode("rgb16.png", png_bytes(w, h, 2, 16, [list(r) for r in c16]), 0)
    ga16 = rng.integers(0, 65536, size=(h, w * 2))
    add_decode("gray_alpha16.png", png_bytes(w, h, 4, 16, [list(r) for r in ga16]), 0)
    rgba16 = rng.integers(0, 65536, size=(h, w * 4))
    add_decode("rgba16.png", png_bytes(w, h, 6, 16, [list(r) for r in rgba16]), 0)
    for name in ("rgb8.png", "rgba8.png", "palette4.png"):  # PIL's convert("L") of a colour image
        g = np.asarray(Image.open(os.path.join(OUT, name)).convert("RGB").convert("L"))
        write(name + ".L.u8", g.tobytes())
        manifest["gray"].append({"file": name, "expected": name + ".L.u8"})
    add_decode("rgb8_interlaced.png", png_bytes(w, h, 2, 8, [list(r.flatten()) for r in rgb], interlace=True), 0)
    add_decode("gray2_interlaced.png", png_bytes(w, h, 0, 2, [list(r) for r in rng.integers(0, 4, size=(h, w))], interlace=True), 0)
    add_decode("palette8_interlaced.png", png_bytes(w, h, 3, 8, [list(r) for r in idx], palette=pal, interlace=True), 0)

    # ------------------------------------------------------------ JPEG (PIL's encoder; PIL's decoder as reference)
    jw, jh = 33, 21
    jrgb = photo(jw, jh)
    for name, kwargs, arr in [("baseline420.jpg", dict(quality=85), jrgb),
                              ("baseline444.jpg", dict(quality=90, subsampling=0), jrgb),
                              ("baseline422.jpg", dict(quality=80, subsampling=1), jrgb),
                              ("gray.jpg", dict(quality=85), photo(jw, jh, 1)),
                              ("progressive.jpg", dict(quality=85, progressive=True), jrgb)]:
        buf = io.BytesIO()
        Image.fromarray(arr).save(buf, "JPEG", **kwargs)
        add_decode(name, buf.getvalue(), 1, "libjpeg ISLOW IDCT + fancy upsampling in both decoders")
    buf = io.BytesIO()
    Image.fromarray(np.dstack([jrgb, jrgb[..., :1]])[..., :4], "CMYK").save(buf, "JPEG", quality=80)
    write("cmyk.jpg", buf.getvalue())
    manifest["broken"].append({"file": "cmyk.jpg", "reason": "CMYK"})

    # ------------------------------------------------------------ PIL resize on 8-bit images
    src = photo(41, 27)
    buf = io.BytesIO()
    Image.fromarray(src).save(buf, "PNG", optimize=True)
    write("resize_source.png", buf.getvalue())
    gsrc = photo(23, 31, 1)
    buf = io.BytesIO()
    Image.fromarray(gsrc).save(buf, "PNG", optimize=True)
    write("resize_source_gray.png", buf.getvalue())
    filters = {"bilinear": Image.Resampling.BILINEAR, "bicubic": Image.Resampling.BICUBIC}
    cases = [("resize_source.png", src, (13, 9)), ("resize_source.png", src, (20, 27)), ("resize_source.png", src, (41, 11)),
             ("resize_source.png", src, (63, 40)), ("resize_source.png", src, (7, 64)), ("resize_source.png", src, (35, 9)),
             ("resize_source_gray.png", gsrc, (10, 7)), ("resize_source_gray.png", gsrc, (50, 45)),
             ("resize_source_gray.png", gsrc, (20, 8))]
    for source, arr, (tw, th) in cases:
        for fname, f in filters.items():
            out = np.asarray(Image.fromarray(arr).resize((tw, th), f))
            name = f"resize_{os.path.splitext(source)[0]}_{tw}x{th}_{fname}.u8"
            write(name, out.tobytes())
            manifest["resize"].append({"source": source, "width": tw, "height": th, "filter": fname, "expected": name})

    # ------------------------------------------------------------ whole pipelines (decode → tensor)
    def resize_crop_normalize(im, size, f, mean, std):
        w0, h0 = im.size
        short, long_ = (w0, h0) if w0 <= h0 else (h0, w0)
        new_long = int(size * long_ / short)
        im = im.resize((size, new_long) if w0 <= h0 else (new_long, size), f)
        top = int(round((im.size[1] - size) / 2.0))
        left = int(round((im.size[0] - size) / 2.0))
        im = im.crop((left, top, left + size, top + size))
        return to_tensor_normalize(im, mean, std)

    def to_tensor_normalize(im, mean, std):
        a = np.asarray(im)
        if a.ndim == 2:
            a = a[:, :, None]
        t = torch.from_numpy(a.copy()).permute(2, 0, 1).contiguous().float().div(255)
        m = torch.tensor(mean, dtype=torch.float32)[:, None, None]
        s = torch.tensor(std, dtype=torch.float32)[:, None, None]
        return ((t - m) / s).numpy()

    # AV-MNIST stock pipeline on a 28x28 gray PNG.
    digit = photo(28, 28, 1)
    buf = io.BytesIO()
    Image.fromarray(digit).save(buf, "PNG")
    write("digit.png", buf.getvalue())
    t = to_tensor_normalize(Image.open(os.path.join(OUT, "digit.png")), (0.5,), (0.5,))
    write("digit.avmnist.f32", t.astype("<f4").tobytes())
    manifest["pipeline"].append({"file": "digit.png", "dataset": "avmnist", "shape": list(t.shape), "expected": "digit.avmnist.f32"})

    # CLIP-style (memes) pipeline at small sizes: bicubic shorter side + centre crop + CLIP Normalize.
    # Sources chosen so the crop offsets hit exact halves (Python round-half-to-even).
    for name, (sw, sh), size, fmt in [("memes_wide.jpg", (77, 47), 24, "JPEG"), ("memes_tall.png", (30, 73), 22, "PNG"),
                                      ("memes_gray.png", (40, 33), 17, "PNG"), ("memes_up.png", (8, 10), 20, "PNG")]:
        arr = photo(sw, sh, 1 if "gray" in name else 3)
        buf = io.BytesIO()
        Image.fromarray(arr).save(buf, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
        write(name, buf.getvalue())
        im = Image.open(os.path.join(OUT, name)).convert("RGB")
        t = resize_crop_normalize(im, size, Image.Resampling.BICUBIC, CLIP_MEAN, CLIP_STD)
        write(name + ".f32", t.astype("<f4").tobytes())
        manifest["pipeline"].append({"file": name, "dataset": "memes", "size": size, "shape": list(t.shape), "expected": name + ".f32"})

    # ------------------------------------------------------------ MM-IMDB: torch bilinear + round on integer arrays
    for name, (c, hh, ww), (oh, ow), dtype in [("poster_int32.npy", (3, 20, 14), (16, 16), np.int32),
                                               ("poster_int64.npy", (3, 11, 13), (24, 19), np.int64)]:
        a = rng.integers(-124, 153, size=(c, hh, ww)).astype(dtype)
        np.save(os.path.join(OUT, name), a)
        x = torch.from_numpy(a.astype(np.int64)).float()[None]
        y = torch.nn.functional.interpolate(x, size=(oh, ow), mode="bilinear", align_corners=False)
        write(name + ".f32", y.round()[0].numpy().astype("<f4").tobytes())
        raw = y[0].numpy().astype("<f4")
        write(name + ".raw.f32", raw.tobytes())
        manifest["bilinear"].append({"file": name, "height": oh, "width": ow, "shape": [c, oh, ow],
                                     "expected": name + ".f32", "unrounded": name + ".raw.f32"})

    # ------------------------------------------------------------ broken inputs that need crafting
    # PNG whose header declares 100000 x 100000 pixels (valid CRCs, tiny IDAT).
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    huge_png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 0, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    write("huge.png", huge_png)
    manifest["broken"].append({"file": "huge.png", "reason": "declares 100000 x 100000"})
    # JPEG whose SOF declares 60000 x 60000: patch the SOF0 marker of a valid baseline file.
    jpeg = bytearray(open(os.path.join(OUT, "baseline420.jpg"), "rb").read())
    sof = jpeg.index(b"\xff\xc0")
    jpeg[sof + 5:sof + 9] = struct.pack(">HH", 60000, 60000)
    write("huge.jpg", bytes(jpeg))
    manifest["broken"].append({"file": "huge.jpg", "reason": "declares 60000 x 60000"})

    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total} bytes, to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
