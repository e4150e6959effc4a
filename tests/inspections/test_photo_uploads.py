"""Photo uploads through the phone form: real files made by Pillow in memory. Every file is
either stored correctly (re-encoded JPEG, upright, no metadata, resized, with a thumbnail) or
refused with a message next to the field, leaving no row and no file in MEDIA_ROOT."""

import io
import struct
import zlib

import pytest
from django.urls import reverse
from PIL import Image

from inspections.models import InspectionPhoto, PhotoKind, SiteInspectionLog
from inspections.photos import pillow_heif
from tests.factories import image_bytes, uploaded_image

pytestmark = pytest.mark.django_db


def post_inspection(client, site, photos, **fields):
    data = {
        "site": site.pk,
        "schedule": "",
        "inspection_date": "2026-11-24T20:30",
        "score": "88",
        "findings": "Lobby glass smeared.",
        "corrective_actions": "",
        "internal_notes": "",
        "photos": photos,
    }
    data.update(fields)
    return client.post(reverse("inspections:inspection_create"), data)


def png_declaring(width, height):
    """A tiny PNG whose header declares `width` x `height` pixels (a decompression bomb)."""

    def chunk(kind, body):
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def stored_image(photo, variant="image"):
    with getattr(photo, variant).open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def assert_nothing_stored(media_files):
    assert SiteInspectionLog.objects.count() == 0
    assert InspectionPhoto.objects.count() == 0
    assert media_files() == []


# -- accepted ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "content_type"),
    [
        ("IMG_0001.jpg", "JPEG", "image/jpeg"),
        ("screenshot.png", "PNG", "image/png"),
        ("photo.webp", "WEBP", "image/webp"),
        # Named and typed wrong on purpose: the content decides, not the name.
        ("photo.gif", "PNG", "application/octet-stream"),
    ],
)
def test_valid_photos_are_stored_as_reencoded_jpeg_with_a_thumbnail(
    login, inspector, site, media_files, name, fmt, content_type
):
    upload = uploaded_image(name, image_bytes(fmt, size=(120, 90)), content_type=content_type)

    response = post_inspection(login(inspector), site, [upload])

    log = SiteInspectionLog.objects.get()
    assert response.status_code == 302
    assert response["Location"] == log.get_absolute_url()
    photo = log.photos.get()
    assert photo.kind == PhotoKind.FINDING
    full, thumb = stored_image(photo), stored_image(photo, "thumbnail")
    assert full.format == "JPEG" and thumb.format == "JPEG"
    assert full.size == (120, 90) == (photo.width, photo.height)
    # Random storage names, never the uploaded name.
    assert name.rsplit(".", 1)[0] not in photo.image.name
    assert photo.image.name.startswith("inspections/") and photo.image.name.endswith(".jpg")
    assert sorted(media_files()) == sorted([photo.image.name, photo.thumbnail.name])


def test_several_photos_in_one_submission_are_all_stored(login, inspector, site, media_files):
    uploads = [uploaded_image(f"p{n}.jpg", size=(60 + n, 40)) for n in range(3)]

    post_inspection(login(inspector), site, uploads)

    log = SiteInspectionLog.objects.get()
    assert sorted(p.width for p in log.photos.all()) == [60, 61, 62]
    assert len(media_files()) == 6
    assert len({p.image.name for p in log.photos.all()}) == 3


def test_large_photo_is_resized_and_gets_a_small_thumbnail(
    settings, login, inspector, site, media_files
):
    settings.PHOTO_MAX_DIMENSION = 100
    settings.PHOTO_THUMBNAIL_SIZE = 40

    post_inspection(login(inspector), site, [uploaded_image(size=(300, 150))])

    photo = InspectionPhoto.objects.get()
    assert stored_image(photo).size == (100, 50) == (photo.width, photo.height)
    assert stored_image(photo, "thumbnail").size == (40, 20)


def test_exif_orientation_is_applied_and_all_metadata_gps_included_is_stripped(
    login, inspector, site, media_files
):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned; rotate 90° clockwise to view
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Phone 15"
    exif.get_ifd(0x8825).update({1: "N", 2: (40.0, 26.0, 46.0), 3: "W", 4: (79.0, 58.0, 56.0)})
    # 80 x 40 as stored by the sensor; the blue block is the top-left quarter's top rows.
    content = image_bytes("JPEG", size=(80, 40), exif=exif.tobytes(), quality=95)
    assert Image.open(io.BytesIO(content)).getexif().get_ifd(0x8825)  # the input has GPS

    post_inspection(login(inspector), site, [uploaded_image("gps.jpg", content)])

    photo = InspectionPhoto.objects.get()
    stored = stored_image(photo)
    assert stored.size == (40, 80)  # upright: width and height swapped
    # The sensor's top rows are now the right-hand columns.
    red, green, blue = stored.getpixel((36, 10))
    assert blue > 150 and red < 100
    red, green, blue = stored.getpixel((5, 10))
    assert red > 150 and blue < 100
    assert len(stored.getexif()) == 0
    assert "exif" not in stored.info and "icc_profile" not in stored.info
    with photo.image.open("rb") as handle:
        raw = handle.read()
    assert b"Exif" not in raw and b"PhoneMaker" not in raw
    assert len(stored_image(photo, "thumbnail").getexif()) == 0


def test_heic_is_accepted_exactly_when_pillow_heif_is_installed(
    login, inspector, site, media_files
):
    if pillow_heif is not None:
        content = image_bytes("HEIF", size=(64, 48))
    else:
        # The start of a real HEIC file: without pillow-heif nobody can decode it.
        content = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64

    response = post_inspection(login(inspector), site, [uploaded_image("IMG_1.heic", content)])

    if pillow_heif is not None:
        assert response.status_code == 302
        assert stored_image(InspectionPhoto.objects.get()).format == "JPEG"
    else:
        assert response.status_code == 200
        assert "is not a photo we can read" in response.context["form"].errors["photos"][0]
        assert_nothing_stored(media_files)


# -- refused ----------------------------------------------------------------------------------

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)


def _truncated_jpeg():
    content = image_bytes("JPEG", size=(400, 300), quality=95)
    return content[: len(content) // 2]


def _gif():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, format="GIF")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("photo.jpg", b"This is a text file pretending to be a JPEG.\n" * 20, "image/jpeg",
         "is not a photo we can read"),
        ("drawing.svg", SVG_WITH_SCRIPT, "image/svg+xml", "is not a photo we can read"),
        ("photo.jpg", SVG_WITH_SCRIPT, "image/jpeg", "is not a photo we can read"),
        ("animation.gif", _gif(), "image/gif", "is not a photo we can read"),
        ("empty.jpg", b"", "image/jpeg", "is empty"),
        ("cut.jpg", _truncated_jpeg(), "image/jpeg", "is damaged or incomplete"),
        ("bomb.png", png_declaring(100_000, 100_000), "image/png", "has too many pixels"),
        ("wide.png", png_declaring(50_000, 1_000), "image/png", "has too many pixels"),
    ],
    ids=["text-as-jpg", "svg-script", "svg-as-jpg", "gif", "zero-bytes", "truncated-jpeg",
         "bomb-10-gigapixels", "bomb-50-megapixels"],
)  # fmt: skip
def test_bad_files_are_refused_with_a_message_and_leave_nothing(
    login, inspector, site, media_files, name, content, content_type, message
):
    upload = uploaded_image(name, content, content_type=content_type)

    response = post_inspection(login(inspector), site, [upload])

    assert response.status_code == 200
    errors = response.context["form"].errors["photos"]
    assert any(message in error and name in error for error in errors), errors
    assert message in response.content.decode()
    assert_nothing_stored(media_files)


def test_photo_over_the_size_limit_is_refused(settings, login, inspector, site, media_files):
    content = image_bytes("PNG", size=(200, 200))
    settings.PHOTO_MAX_BYTES = len(content) - 1

    response = post_inspection(login(inspector), site, [uploaded_image("big.png", content)])

    assert "is too large" in response.context["form"].errors["photos"][0]
    assert_nothing_stored(media_files)


def test_photo_over_the_pixel_limit_is_refused_before_decoding(
    settings, login, inspector, site, media_files
):
    settings.PHOTO_MAX_PIXELS = 64 * 48 - 1

    response = post_inspection(login(inspector), site, [uploaded_image(size=(64, 48))])

    assert "has too many pixels" in response.context["form"].errors["photos"][0]
    assert_nothing_stored(media_files)


def test_one_bad_photo_among_good_ones_refuses_the_whole_submission(
    login, inspector, site, media_files
):
    uploads = [
        uploaded_image("good1.jpg"),
        uploaded_image("notes.jpg", b"plain text"),
        uploaded_image("good2.jpg"),
    ]

    response = post_inspection(login(inspector), site, uploads)

    errors = response.context["form"].errors["photos"]
    assert len(errors) == 1 and "notes.jpg" in errors[0]
    assert_nothing_stored(media_files)


def test_too_many_photos_at_once_are_refused(login, inspector, site, media_files):
    uploads = [uploaded_image(f"p{n}.jpg", size=(8, 8)) for n in range(13)]

    response = post_inspection(login(inspector), site, uploads)

    assert "at most 12 photos" in response.context["form"].errors["photos"][0]
    assert_nothing_stored(media_files)


def test_a_refused_form_writes_no_file_even_when_the_photos_are_valid(
    login, inspector, site, media_files
):
    response = post_inspection(login(inspector), site, [uploaded_image()], score="101")

    assert "score" in response.context["form"].errors
    assert_nothing_stored(media_files)
