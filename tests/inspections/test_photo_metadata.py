"""What a photo carried besides its pixels never reaches storage: a JPEG comment, XMP, PNG text
chunks or an ICC profile (a phone app may write the home address or the client's name there).
Uploaded through the inspection form; the stored photo and its thumbnail are read back byte by
byte."""

import io

import pytest
from PIL import Image, ImageCms, PngImagePlugin

from inspections.models import InspectionPhoto
from tests.factories import image_bytes, uploaded_image
from tests.inspections.test_photo_uploads import post_inspection

pytestmark = pytest.mark.django_db

SECRET = "12 Elm Street, Springfield"
XMP_NAMESPACE = b"http://ns.adobe.com/xap/1.0/"
# What Pillow reports about any plain JPEG: its JFIF header and encoding, nothing about its origin.
JPEG_STRUCTURE_INFO = {
    "jfif",
    "jfif_version",
    "jfif_unit",
    "jfif_density",
    "progressive",
    "progression",
    "dpi",
}


def jpeg_segments(data):
    """[(marker, payload)] of a JPEG's header segments, up to the start of the scan."""
    assert data[:2] == b"\xff\xd8"
    segments, position = [], 2
    while position < len(data):
        assert data[position] == 0xFF
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: the compressed pixels follow
            break
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        segments.append((marker, data[position + 4 : position + 2 + length]))
        position += 2 + length
    return segments


def stored_bytes(photo):
    found = {}
    for variant in ("image", "thumbnail"):
        with getattr(photo, variant).open("rb") as handle:
            found[variant] = handle.read()
    return found


def assert_no_metadata(photo):
    for variant, data in stored_bytes(photo).items():
        assert SECRET.encode() not in data, variant
        markers = [marker for marker, _payload in jpeg_segments(data)]
        assert 0xFE not in markers, f"{variant} has a COM segment"
        app1 = [payload for marker, payload in jpeg_segments(data) if marker == 0xE1]
        assert app1 == [], f"{variant} has an APP1 (EXIF/XMP) segment"
        assert 0xE2 not in markers, f"{variant} has an APP2 (ICC profile) segment"
        stored = Image.open(io.BytesIO(data))
        assert set(stored.info) <= JPEG_STRUCTURE_INFO, variant


def test_a_jpeg_comment_is_not_stored_in_the_photo_or_its_thumbnail(
    login, inspector, site, media_files
):
    content = image_bytes("JPEG", size=(120, 90), comment=SECRET.encode())
    assert SECRET.encode() in content

    post_inspection(login(inspector), site, [uploaded_image("comment.jpg", content)])

    assert_no_metadata(InspectionPhoto.objects.get())


def test_jpeg_xmp_is_not_stored_in_the_photo_or_its_thumbnail(login, inspector, site, media_files):
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>{SECRET}</rdf:Description>'
    content = image_bytes("JPEG", size=(120, 90), xmp=(xmp + "</x:xmpmeta>").encode())
    assert XMP_NAMESPACE in content

    post_inspection(login(inspector), site, [uploaded_image("xmp.jpg", content)])

    assert_no_metadata(InspectionPhoto.objects.get())


def test_png_text_chunks_are_not_stored_in_the_photo_or_its_thumbnail(
    login, inspector, site, media_files
):
    text = PngImagePlugin.PngInfo()
    text.add_text("comment", SECRET)  # tEXt; the key Pillow's JPEG writer would copy
    text.add_text("Description", SECRET, zip=True)  # zTXt
    text.add_itxt("Location", SECRET, lang="en", tkey="Location")  # iTXt
    buffer = io.BytesIO()
    # Opaque: a PNG with transparency is flattened onto a new image, which hid the leak.
    Image.new("RGB", (120, 90), (200, 30, 30)).save(buffer, format="PNG", pnginfo=text)
    content = buffer.getvalue()
    assert Image.open(io.BytesIO(content)).info["comment"] == SECRET

    post_inspection(login(inspector), site, [uploaded_image("text.png", content)])

    assert_no_metadata(InspectionPhoto.objects.get())


def test_an_icc_profile_is_applied_as_srgb_and_not_stored(login, inspector, site, media_files):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    content = image_bytes("JPEG", size=(120, 90), icc_profile=srgb)
    assert Image.open(io.BytesIO(content)).info["icc_profile"]

    post_inspection(login(inspector), site, [uploaded_image("icc.jpg", content)])

    photo = InspectionPhoto.objects.get()
    assert_no_metadata(photo)
    stored = Image.open(photo.image.open("rb"))
    red, green, blue = stored.getpixel((100, 80))
    assert red > 150 and green < 100 and blue < 100  # the colours survive the conversion
