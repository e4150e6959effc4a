"""Personal API tokens, the record of idempotent POSTs, and webhooks (endpoints, the outbox
of deliveries, and the log of their attempts)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from janitorial_crm.models import TimeStampedModel


class ApiTokenQuerySet(models.QuerySet):
    def for_user(self, user):
        """A user sees and revokes their own tokens only (admins use Django admin)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal token a program sends as `Authorization: Bearer <token>`.

    Only a SHA-256 digest of the token is stored: the token itself is shown once, when it is
    created (`api.services.api_token_create`). The token acts as its user, with the user's role.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("starts with"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None):
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class IdempotentRequest(models.Model):
    """The answer to a POST sent with an `Idempotency-Key`, kept so that a retry within
    IDEMPOTENCY_KEY_HOURS gets the same answer and writes nothing twice.

    Written in the same transaction as the change it answers: either both exist or neither.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("key"), max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")
        ]
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")

    def __str__(self):
        return f"{self.method} {self.path} [{self.key}]"


# --- Webhooks -------------------------------------------------------------------------------


class WebhookEndpointQuerySet(models.QuerySet):
    def for_user(self, user):
        """Integrations are the company's: whoever may manage webhooks sees every endpoint."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if not user.has_perm("api.manage_webhooks"):
            return self.none()
        return self

    def active(self):
        return self.filter(paused_at__isnull=True)


class PauseReason(models.TextChoices):
    BY_USER = "by_user", _("Paused by a user")
    FAILING = "failing", _("Paused after repeated failures")


class WebhookEndpoint(TimeStampedModel):
    """An HTTPS address outside the company that is told, by a signed POST, about the events it
    subscribed to (`janitorial_crm.events.EventKind`).

    The secret signs every delivery. It is kept as is (signing needs it) but shown only once,
    on the page that answers the creation. Deliveries carry only what the owner may see.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="webhook_endpoints",
        verbose_name=_("owner"),
        help_text=_("Deliveries contain only objects this person may see."),
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("secret"), max_length=80, editable=False)
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    pause_reason = models.CharField(
        _("pause reason"), max_length=16, choices=PauseReason, blank=True
    )
    consecutive_failures = models.PositiveIntegerField(
        _("consecutive failures"), default=0, editable=False
    )

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        permissions = [("manage_webhooks", _("Can register and manage webhooks"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="https://"), name="webhook_url_is_https"
            ),
        ]

    def __str__(self):
        return self.name

    def __repr__(self):  # never the secret
        return f"<WebhookEndpoint {self.pk} {self.url}>"

    def get_absolute_url(self):
        return reverse("api:webhook_detail", kwargs={"pk": self.pk})

    @property
    def is_active(self):
        return self.paused_at is None

    def wants(self, kind):
        return kind in self.events


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent")


class WebhookDeliveryQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(endpoint__in=WebhookEndpoint.objects.for_user(user))

    def due(self, now=None):
        """Pending deliveries whose time has come, of endpoints that are not paused."""
        return self.filter(
            status=DeliveryStatus.PENDING,
            next_attempt_at__lte=now or timezone.now(),
            endpoint__paused_at__isnull=True,
        )


class WebhookDelivery(models.Model):
    """One event for one endpoint: the outbox row `deliver_webhooks` sends, and its log.

    Written after the change committed (by the event subscriber); the event's ids and changes
    are copied here, the payload is built at each attempt from what the owner may see then.
    """

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("endpoint"),
    )
    event_id = models.UUIDField(_("event id"))
    kind = models.CharField(_("event"), max_length=40)
    occurred_at = models.DateTimeField(_("occurred"))
    object_id = models.PositiveBigIntegerField(_("object id"))
    site_id = models.PositiveBigIntegerField(_("site id"))
    changes = models.JSONField(_("changes"), default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    last_response = models.CharField(_("response"), max_length=500, blank=True)
    last_error = models.CharField(_("error"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"], name="webhook_delivery_once_per_event"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="webhook_delivery_due",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.event_id} → {self.endpoint_id}"


class WebhookAttempt(models.Model):
    """One HTTP attempt of a delivery, with the answer (or why there was none)."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        on_delete=models.CASCADE,
        related_name="attempt_log",
        verbose_name=_("delivery"),
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    attempted_at = models.DateTimeField(_("attempted"))
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    response_excerpt = models.CharField(_("response"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")

    def __str__(self):
        return f"#{self.number} {self.status_code or self.error}"

    @property
    def succeeded(self):
        return self.status_code is not None and 200 <= self.status_code < 300
