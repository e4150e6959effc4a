"""Inspection photos: validate an upload by its content and re-encode it for storage.

Everything here runs in memory and writes nothing: `process_photo()` either returns the
re-encoded photo and its thumbnail, ready for the storage API, or raises a ValidationError with
a message for the person who chose the file. Storing is the services' job (see
`inspections.services`), so a refused photo can never leave a file behind.

What a stored photo is: a JPEG, upright (EXIF orientation applied), no larger than
settings.PHOTO_MAX_DIMENSION on its long side, with no metadata at all (no EXIF, no GPS, no
camera serial, no XMP, no ICC profile, no JPEG comment, no PNG text chunk), plus a thumbnail no
larger than settings.PHOTO_THUMBNAIL_SIZE. Colours described by an embedded ICC profile are
converted to sRGB first, so dropping the profile does not change how the photo looks.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps

try:  # HEIC/HEIF (iPhone camera default) when pillow-heif is installed.
    import pillow_heif
except ImportError:  # pragma: no cover - depends on the environment
    pillow_heif = None
else:
    pillow_heif.register_heif_opener()

# Pillow formats accepted, detected from the file's content (never from its name or the
# browser's content type). Only these plugins are even tried on an upload.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP") + (("HEIF",) if pillow_heif else ())
ACCEPTED_LABEL = "JPEG, PNG, WebP" + (", HEIC" if pillow_heif else "")

# One form submission carries at most this many photos (a phone walk-through takes a handful).
MAX_PHOTOS_PER_UPLOAD = 12

JPEG_QUALITY = 85
THUMBNAIL_QUALITY = 80


@dataclass(frozen=True)
class ProcessedPhoto:
    """A validated, re-encoded photo: JPEG bytes for the image and its thumbnail."""

    image: bytes
    thumbnail: bytes
    width: int
    height: int

    def image_file(self):
        # The name is only a hint for the storage API; upload_to replaces it with a random one.
        return ContentFile(self.image, name="photo.jpg")

    def thumbnail_file(self):
        return ContentFile(self.thumbnail, name="thumb.jpg")


def _refuse(message, code, **params):
    return ValidationError(message, code=code, params=params)


def _read_limited(upload):
    """The upload's bytes, refusing empty and oversized files without reading them whole."""
    max_bytes = settings.PHOTO_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise _too_large(upload, max_bytes)
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if not data:
        raise _refuse(_("“%(name)s” is empty."), "empty", name=_name(upload))
    if len(data) > max_bytes:
        raise _too_large(upload, max_bytes)
    return data


def _too_large(upload, max_bytes):
    return _refuse(
        _("“%(name)s” is too large: photos may be at most %(max)s."),
        "too_large",
        name=_name(upload),
        max=filesizeformat(max_bytes),
    )


def _name(upload):
    return getattr(upload, "name", None) or _("the photo")


def _not_an_image(upload):
    return _refuse(
        _("“%(name)s” is not a photo we can read. Upload a %(formats)s image."),
        "invalid_image",
        name=_name(upload),
        formats=ACCEPTED_LABEL,
    )


def _too_many_pixels(upload):
    return _refuse(
        _(
            "“%(name)s” has too many pixels (more than %(max)s megapixels). "
            "Take the photo at a lower resolution."
        ),
        "too_many_pixels",
        name=_name(upload),
        max=f"{settings.PHOTO_MAX_PIXELS / 1_000_000:g}",
    )


def _open(data, upload):
    """Open and verify the image header and structure; nothing is decoded yet."""
    with warnings.catch_warnings():
        # Pillow warns (and above twice its limit, raises) on decompression bombs: both refuse.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
            width, height = probe.size
            fmt = probe.format
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(upload) from None
        except Exception:  # noqa: BLE001 - any parser failure on untrusted input is a refusal
            raise _not_an_image(upload) from None
        if fmt not in ACCEPTED_FORMATS:
            raise _not_an_image(upload)
        # Refuse by the declared size BEFORE anything is decoded.
        if width <= 0 or height <= 0:
            raise _not_an_image(upload)
        if width * height > settings.PHOTO_MAX_PIXELS:
            raise _too_many_pixels(upload)
        try:
            probe.verify()
        except Exception:  # noqa: BLE001
            raise _damaged(upload) from None
    return fmt


def _damaged(upload):
    return _refuse(
        _("“%(name)s” is damaged or incomplete. Take the photo again."),
        "damaged",
        name=_name(upload),
    )


def _decode(data, upload):
    """Decode the full image (verify() leaves the image unusable, so it is opened again)."""
    max_side = settings.PHOTO_MAX_DIMENSION
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
            if image.format == "JPEG":
                # Let libjpeg decode at a reduced scale: far less memory for big camera photos.
                image.draft("RGB", (max_side, max_side))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(upload) from None
        except Exception:  # noqa: BLE001 - truncated or corrupt data
            raise _damaged(upload) from None
    return image


def _to_rgb(image):
    """Flatten transparency onto white (JPEG has no alpha) and normalise the colour mode."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        # 16-bit or float greyscale: scale down to 8 bits before converting.
        return image.point(lambda value: value / 256).convert("L").convert("RGB")
    return image.convert("RGB")


def _to_srgb(image):
    """Convert pixels described by an embedded ICC profile to sRGB (the profile is dropped
    later, with every other piece of metadata). An unreadable or unusable profile leaves the
    pixels as they are: the photo is still worth keeping."""
    profile = image.info.get("icc_profile")
    if not profile:
        return image
    try:
        return ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(io.BytesIO(profile)),
            ImageCms.createProfile("sRGB"),
            outputMode="RGBA" if "A" in image.getbands() else "RGB",
        )
    except Exception:  # noqa: BLE001 - profiles in untrusted files are often broken
        return image


def _without_metadata(image):
    """The same pixels with an empty `info`: Pillow's JPEG writer copies some of it (the
    `comment`, which a JPEG COM segment or a PNG text chunk named "comment" fills) into the
    output by default, and whatever the source carried (XMP, text chunks, EXIF, ICC) lives
    there."""
    image.info = {}
    return image


def _encode(image, quality):
    buffer = io.BytesIO()
    # Explicitly empty, whatever Pillow's defaults: the output carries no metadata at all.
    image.save(
        buffer,
        format="JPEG",
        quality=quality,
        optimize=True,
        progressive=True,
        comment=b"",
        exif=b"",
        icc_profile=None,
        xmp=None,
    )
    return buffer.getvalue()


def process_photo(upload):
    """Validate `upload` (a Django UploadedFile) by content and return a ProcessedPhoto.

    Raises ValidationError with a user-facing message for an empty, oversized, unreadable,
    damaged, unsupported or too-many-pixel file. Writes nothing anywhere.
    """
    data = _read_limited(upload)
    _open(data, upload)
    image = _decode(data, upload)
    try:
        image = ImageOps.exif_transpose(image)
        image = _without_metadata(_to_rgb(_to_srgb(image)))
        max_side = settings.PHOTO_MAX_DIMENSION
        if max(image.size) > max_side:
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        full = _encode(image, JPEG_QUALITY)
        thumb_side = settings.PHOTO_THUMBNAIL_SIZE
        thumb = image.copy()
        thumb.thumbnail((thumb_side, thumb_side), Image.Resampling.LANCZOS)
        thumbnail = _encode(thumb, THUMBNAIL_QUALITY)
    except Exception:  # noqa: BLE001 - odd modes or corrupt metadata in untrusted files
        raise _damaged(upload) from None
    return ProcessedPhoto(image=full, thumbnail=thumbnail, width=image.width, height=image.height)
