import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from inspections.models import InspectionPhoto, PhotoKind, SiteInspectionLog

__all__ = [
    "InspectionFactory",
    "InspectionPhotoFactory",
    "image_bytes",
    "uploaded_image",
]


def image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30), **save_kwargs):
    """A real image made by Pillow in memory (`save_kwargs` go to Image.save, e.g. exif=)."""
    mode = "RGBA" if fmt == "PNG" else "RGB"
    image = Image.new(mode, size, color)
    # Two colours, so that orientation can be checked on the stored result.
    image.paste((20, 20, 220), (0, 0, size[0] // 2, size[1] // 4))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **save_kwargs)
    return buffer.getvalue()


def uploaded_image(name="photo.jpg", content=None, content_type="image/jpeg", **kwargs):
    """An upload as the browser sends it; `content` defaults to a real JPEG."""
    if content is None:
        content = image_bytes(**kwargs)
    return SimpleUploadedFile(name, content, content_type=content_type)


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteInspectionLog

    site = factory.SubFactory("tests.factories.sites.ClientSiteFactory")
    inspector = factory.SubFactory("tests.factories.users.UserFactory", role="Inspector")
    score = 85
    findings = "Lobby floor streaky near the entrance."
    corrective_actions = ""


class InspectionPhotoFactory(factory.django.DjangoModelFactory):
    """A stored photo row with real (small) JPEG files; bypasses the upload pipeline."""

    class Meta:
        model = InspectionPhoto

    log = factory.SubFactory(InspectionFactory)
    kind = PhotoKind.FINDING
    image = factory.django.ImageField(format="JPEG", width=64, height=48, color="green")
    thumbnail = factory.django.ImageField(format="JPEG", width=32, height=24, color="green")
