"""Images compared by their pixels, not their bytes.

PNG bytes change with the encoder, its metadata chunks and compression level
while the picture stays the same; a plot re-rendered by a newer library may
move anti-aliasing by a few levels. A pixel differs when one channel moves
more than the channel tolerance; the image fails when more than the allowed
share of pixels differ. On failure the golden, the fresh image and a diff
(fresh image greyed, differing pixels red) are written for the reviewer.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pytest_nbgate.files import write_bytes
from pytest_nbgate.snapshots.settings import ImageTolerance

if TYPE_CHECKING:
    from PIL import Image

# PIL is imported where pixels are compared: most runs compare no image, and
# importing it at start-up costs every pytest run with the plugin installed.

_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg"}


@dataclass(frozen=True)
class ImageVerdict:
    equal: bool
    reason: str = ""
    mask: Image.Image | None = None


def extension(mime: str) -> str:
    return _EXTENSIONS.get(mime, "png")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _open(data: bytes) -> Image.Image | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            converted: Image.Image = image.convert("RGBA")
            return converted
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def size_of(data: bytes) -> str:
    """``WxH`` for the reference line of the external store (``?`` when unreadable)."""
    image = _open(data)
    return "?" if image is None else f"{image.width}x{image.height}"


def compare_images(golden: bytes, fresh: bytes, tolerance: ImageTolerance) -> ImageVerdict:
    if golden == fresh:
        return ImageVerdict(True)
    old, new = _open(golden), _open(fresh)
    if old is None or new is None:
        which = "golden" if old is None else "fresh"
        return ImageVerdict(False, f"the {which} image cannot be decoded")
    if old.size != new.size:
        return ImageVerdict(
            False, f"size changed from {old.width}x{old.height} to {new.width}x{new.height}"
        )
    mask = _difference_mask(old, new, tolerance.channel)
    differing = mask.histogram()[255]
    share = differing / (new.width * new.height)
    if share <= tolerance.max_ratio:
        return ImageVerdict(True)
    reason = f"{differing} pixels ({share:.3%}) differ; {tolerance.describe()} allowed"
    return ImageVerdict(False, reason, mask)


def _difference_mask(old: Image.Image, new: Image.Image, channel: int) -> Image.Image:
    """255 where any channel moved more than ``channel``, else 0."""
    from PIL import ImageChops

    bands = ImageChops.difference(old, new).split()
    mask = bands[0]
    for band in bands[1:]:
        mask = ImageChops.lighter(mask, band)
    return mask.point(lambda value: 255 if value > channel else 0)


def write_diff_images(
    golden: bytes, fresh: bytes, mime: str, verdict: ImageVerdict, folder: Path, stem: str
) -> list[Path]:
    """Write golden, fresh and (same size only) diff images; returns their paths."""
    from PIL import Image

    ext = extension(mime)
    written = [folder / f"{stem}-golden.{ext}", folder / f"{stem}-fresh.{ext}"]
    write_bytes(written[0], golden)
    write_bytes(written[1], fresh)
    new = _open(fresh)
    if verdict.mask is not None and new is not None:
        grey = new.convert("L").point(lambda value: 128 + value // 2).convert("RGB")
        red = Image.new("RGB", new.size, (255, 0, 0))
        buffer = io.BytesIO()
        Image.composite(red, grey, verdict.mask).save(buffer, format="PNG")
        written.append(folder / f"{stem}-diff.png")
        write_bytes(written[2], buffer.getvalue())
    return written
