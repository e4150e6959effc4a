"""Safe to retry: `Idempotency-Key` on POST, `ETag` / `If-Match` on objects.

Idempotency-Key: a POST that succeeded (2xx) is recorded with its answer in the same transaction
as its change (api.models.IdempotentRequest). Sending the same key again within
IDEMPOTENCY_KEY_HOURS returns the recorded answer (with `Idempotent-Replayed: true`) and writes
nothing; the same key with a different request is a 422. A refused request (4xx) is not
recorded: it changed nothing, so a retry simply runs again.

ETag / If-Match: every object response carries an ETag computed from its representation. A
PATCH, PUT, DELETE or POST action on an object that sends `If-Match` with an older ETag gets 412
and changes nothing.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from api.errors import IdempotencyKeyReused, PreconditionFailed
from api.models import IdempotentRequest
from janitorial_crm.mixins import request_user

if TYPE_CHECKING:
    # RetrySafeMixin is only ever mixed into DRF's generic views: for the type checker it is
    # one, at run time a plain mixin. (DRF ships no type hints: mypy reads its classes as Any.)
    from rest_framework.generics import GenericAPIView as _APIViewBase
else:
    _APIViewBase = object

IDEMPOTENCY_HEADER = "HTTP_IDEMPOTENCY_KEY"
MAX_KEY_LENGTH = 255
# Response headers a replay repeats.
REPLAYED_HEADERS = ("Location", "ETag")
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def etag_for(data: object) -> str:
    digest = hashlib.sha256(
        json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder).encode()
    ).hexdigest()
    return f'"{digest[:32]}"'


def _fingerprint(request: Request) -> str:
    """What makes two POSTs "the same request": method, path and body (uploads by content)."""
    digest = hashlib.sha256(f"{request.method} {request.path}".encode())
    data = request.data
    if hasattr(data, "lists"):  # form and multipart bodies (uploads included)
        items = sorted(data.lists(), key=lambda item: item[0])
    elif isinstance(data, dict):
        items = [(name, [value]) for name, value in sorted(data.items())]
    else:
        items = [("", [data])]
    for name, values in items:
        digest.update(name.encode())
        for value in values:
            if isinstance(value, UploadedFile):
                for chunk in value.chunks():
                    digest.update(chunk)
                value.seek(0)
            else:
                digest.update(json.dumps(value, sort_keys=True, cls=DjangoJSONEncoder).encode())
    return digest.hexdigest()


class _Replay(Exception):  # noqa: N818 - control flow, never seen outside this module
    def __init__(self, record: IdempotentRequest) -> None:
        self.record = record


def _replay_response(record: IdempotentRequest) -> Response:
    response = Response(record.body, status=record.status_code)
    for name, value in record.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


class RetrySafeMixin(_APIViewBase):
    """For API views: Idempotency-Key on POST, ETag on object answers, If-Match on changes."""

    _idempotency_key: str | None = None
    _fingerprint: str

    # -- Idempotency-Key --------------------------------------------------------------------

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = request.META.get(IDEMPOTENCY_HEADER)
        if request.method != "POST" or key is None:
            return super().dispatch(request, *args, **kwargs)
        try:
            with transaction.atomic():
                return super().dispatch(request, *args, **kwargs)
        except IntegrityError:
            # Another request with the same key committed first: answer as it did. (DRF has
            # authenticated the request by now, and set its user on Django's request too.)
            record = IdempotentRequest.objects.filter(user=request_user(request), key=key).first()
            if record is None:
                raise
            return self.finalize_response(request, _replay_response(record), *args, **kwargs)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        key = request.META.get(IDEMPOTENCY_HEADER)
        if request.method != "POST" or key is None:
            return
        if not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise exceptions.ValidationError(
                {"Idempotency-Key": [_("Send 1 to 255 printable characters.")]}
            )
        self._idempotency_key = key
        self._fingerprint = _fingerprint(request)
        since = timezone.now() - dt.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
        record = IdempotentRequest.objects.filter(
            user=request.user, key=key, created_at__gte=since
        ).first()
        if record is None:
            IdempotentRequest.objects.filter(user=request.user, key=key).delete()  # expired
            return
        if (record.method, record.path, record.fingerprint) != (
            request.method,
            request.path,
            self._fingerprint,
        ):
            raise IdempotencyKeyReused()
        raise _Replay(record)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, _Replay):
            return _replay_response(exc.record)
        return super().handle_exception(exc)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.is_object_response(response) and "ETag" not in response:
            response["ETag"] = etag_for(response.data)
        replayed = response.get("Idempotent-Replayed")
        if self._idempotency_key and 200 <= response.status_code < 300 and not replayed:
            IdempotentRequest.objects.create(
                user=request.user,
                key=self._idempotency_key,
                method=request.method,
                path=request.path,
                fingerprint=self._fingerprint,
                status_code=response.status_code,
                body=json.loads(json.dumps(response.data, cls=DjangoJSONEncoder)),
                headers={name: response[name] for name in REPLAYED_HEADERS if name in response},
            )
        return response

    # -- ETag / If-Match --------------------------------------------------------------------

    def is_object_response(self, response: Response) -> bool:
        return (
            response.status_code in (200, 201)
            and isinstance(getattr(response, "data", None), dict)
            and "id" in response.data
        )

    def representation(self, obj: Model) -> Mapping[str, Any]:
        """The object as GET shows it: what its ETag is computed from."""
        return self.serializer_class(obj, context=self.get_serializer_context()).data

    def get_object(self) -> Model:
        obj = super().get_object()
        if_match = self.request.META.get("HTTP_IF_MATCH")
        if self.request.method in UNSAFE and if_match:
            current = etag_for(self.representation(obj))
            sent = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
            if "*" not in sent and current not in sent:
                raise PreconditionFailed()
        return obj
