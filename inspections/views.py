"""Inspection pages: list with trends, detail, the phone form, resolving corrective actions,
and the permission-checked photo view (the only way a photo reaches a browser)."""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from inspections import permissions, services
from inspections.charts import site_trends
from inspections.filters import InspectionFilter
from inspections.forms import (
    InspectionForm,
    ResolveForm,
    VisitChoiceField,
    visit_choices,
)
from inspections.models import InspectionPhoto, PhotoKind, SiteInspectionLog
from inspections.rows import inspection_rows, trend_cards
from janitorial_crm.live_pages import LiveRegionsMixin
from janitorial_crm.mixins import (
    PortalPermissionMixin,
    ScopedActionView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedDownloadView,
    ScopedListView,
    ScopedUpdateView,
)
from janitorial_crm.validators import parse_pk
from sites.models import ClientSite

# How long a browser may reuse a photo it was allowed to see. Names are random and files never
# change, so this only bounds how long a revoked user's own cache keeps showing it.
PHOTO_CACHE_SECONDS = 300


def _with_photos(queryset):
    related = ("site", "inspector", "schedule__site", "resolved_by")
    return queryset.select_related(*related).prefetch_related(
        # "finding" sorts after "after": descending puts the finding photos first.
        Prefetch("photos", queryset=InspectionPhoto.objects.order_by("-kind", "pk"))
    )


class SiteInspectionLogListView(LiveRegionsMixin, ScopedListView):
    """All inspections the user may see, filtered, sorted, with a score trend per site shown.

    Live: the trends and the table (#inspection-live) redraw themselves on inspection and
    action events, through this view."""

    model = SiteInspectionLog
    permission_required = "inspections.view_siteinspectionlog"
    filterset_class = InspectionFilter
    template_name = "inspections/siteinspectionlog_list.html"
    live_types = ("inspection", "action")
    live_regions = {"inspection-live": "inspections/includes/_inspection_list_live.html"}

    # The columns the rows show: not the long texts (findings, notes) of every inspection.
    list_columns = (
        "inspection_date",
        "score",
        "corrective_actions",
        "resolved_at",
        "site__site_code",
        "site__site_name",
        "inspector__full_name",
        "inspector__username",
    )

    def get_queryset(self):
        photos = InspectionPhoto.objects.order_by("-kind", "pk").only("kind", "log_id")
        return (
            super()
            .get_queryset()
            .select_related("site", "inspector")
            .prefetch_related(Prefetch("photos", queryset=photos))
            .only(*self.list_columns)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        site_ids = {log.site_id for log in context["object_list"]}
        trends = site_trends(SiteInspectionLog.objects.for_user(user), site_ids)
        sites = {log.site_id: log.site for log in context["object_list"]}
        context["trends"] = [
            (sites[site_id], trends[site_id])
            for site_id in sorted(site_ids, key=lambda pk: sites[pk].site_code)
        ]
        context["can_view_internal"] = permissions.can_view_internal(user)
        context["can_create"] = permissions.can_create(user)
        context["trend_cards"] = trend_cards(context["trends"])
        context["rows"] = inspection_rows(
            context["object_list"], can_view_internal=context["can_view_internal"]
        )
        return context


class SiteInspectionLogDetailView(ScopedDetailView):
    model = SiteInspectionLog
    permission_required = "inspections.view_siteinspectionlog"

    def get_queryset(self):
        return _with_photos(super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(detail_context(self.request.user, self.object))
        context.setdefault("resolve_form", ResolveForm())
        return context


def detail_context(user, log):
    photos = list(log.photos.all())
    return {
        "finding_photos": [p for p in photos if p.kind == PhotoKind.FINDING],
        "after_photos": [p for p in photos if p.kind == PhotoKind.AFTER],
        "can_view_internal": permissions.can_view_internal(user),
        "can_change": permissions.can_change(user, log),
        "can_resolve": permissions.can_resolve(user, log) and log.has_open_actions,
    }


class InspectionFormMixin:
    """The phone form: scoped dropdowns, photos through the validated pipeline."""

    model = SiteInspectionLog
    form_class = InspectionForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except ValidationError as error:
            # A model rule the form could not see (e.g. the visit moved sites meanwhile).
            form.add_error(None, error)
            return self.form_invalid(form)
        return redirect(self.object)


class SiteInspectionLogCreateView(InspectionFormMixin, ScopedCreateView):
    """File an inspection at one of the user's sites; the user is the inspector."""

    permission_required = "inspections.add_siteinspectionlog"

    def get_initial(self):
        initial = super().get_initial()
        site = parse_pk(self.request.GET.get("site"))
        if site is not None:
            initial["site"] = site
            visit = parse_pk(self.request.GET.get("schedule"))
            if visit is not None:
                initial["schedule"] = visit
        return initial

    def save(self, form):
        data = form.cleaned_data
        log = services.inspection_create(
            site=data["site"],
            inspector=self.request.user,
            schedule=data["schedule"],
            inspection_date=data["inspection_date"],
            score=data["score"],
            findings=data["findings"],
            corrective_actions=data["corrective_actions"],
            internal_notes=data["internal_notes"],
            photos=data["photos"],
        )
        messages.success(self.request, _("Inspection saved."))
        return log


class SiteInspectionLogUpdateView(InspectionFormMixin, ScopedUpdateView):
    """Edit an inspection: inspectors at their sites, technicians only their own."""

    permission_required = "inspections.change_siteinspectionlog"
    object_permission = permissions.can_change

    def get_queryset(self):
        return _with_photos(super().get_queryset())

    def save(self, form):
        log = services.inspection_update(log=form.instance, photos=form.cleaned_data["photos"])
        messages.success(self.request, _("Inspection updated."))
        return log


class SiteInspectionLogResolveView(ScopedActionView):
    """POST only: mark the corrective actions of an inspection resolved."""

    model = SiteInspectionLog
    permission_required = "inspections.resolve_corrective_action"
    object_permission = permissions.can_resolve
    template_name = "inspections/siteinspectionlog_detail.html"

    def get_queryset(self):
        return _with_photos(super().get_queryset())

    def post(self, request, *args, **kwargs):
        log = self.object
        if not log.has_open_actions:
            messages.info(request, _("This inspection has no open corrective action."))
            return redirect(log)
        form = ResolveForm(request.POST, request.FILES)
        if not form.is_valid():
            context = self.get_context_data(object=log, resolve_form=form)
            return render(request, self.template_name, context)
        try:
            services.corrective_action_resolve(
                log=log,
                by=request.user,
                note=form.cleaned_data["note"],
                photo=form.cleaned_data["photo"],
            )
        except ValidationError as error:
            # Someone resolved it between our check and the locked re-read.
            messages.info(request, " ".join(error.messages))
        else:
            messages.success(request, _("Corrective actions marked resolved."))
        return redirect(log)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(detail_context(self.request.user, self.object))
        return context


class VisitOptionsView(PortalPermissionMixin, View):
    """htmx helper for the phone form: the visit <option>s of the chosen site."""

    permission_required = "inspections.add_siteinspectionlog"
    http_method_names = ["get"]

    def get(self, request):
        site = None
        if request.GET.get("site"):
            site_pk = parse_pk(request.GET["site"])
            if site_pk is None:
                raise Http404
            site = get_object_or_404(ClientSite.objects.for_user(request.user), pk=site_pk)
        field = VisitChoiceField(
            queryset=visit_choices(request.user, site=site), empty_label=_("No particular visit")
        )
        return render(
            request, "inspections/includes/_visit_options.html", {"choices": field.choices}
        )


class InspectionPhotoView(ScopedDownloadView):
    """Serve one inspection photo (full size or thumbnail) to a user who may see its inspection.

    The photo is looked up through `InspectionPhoto.objects.for_user` (its inspection's scope),
    so anyone else gets a 404 whatever the id. In production (MEDIA_SERVE_MODE="nginx") the
    bytes are sent by nginx from an internal location (X-Accel-Redirect); see docs/PHOTOS.md.
    """

    model = InspectionPhoto
    permission_required = "inspections.view_siteinspectionlog"

    def get(self, request, pk, variant):
        return photo_response(self.object, thumbnail=variant == "thumb")


def photo_response(photo, *, thumbnail=False):
    """The photo's file (or its thumbnail) as an HTTP answer, for a photo already checked
    against the user's scope (the portal's photo view and the API's serve it alike)."""
    field = photo.thumbnail if thumbnail and photo.thumbnail else photo.image
    if not field.name:
        raise Http404
    if settings.MEDIA_SERVE_MODE == "nginx":
        response = HttpResponse(content_type="image/jpeg")
        response["X-Accel-Redirect"] = settings.MEDIA_INTERNAL_PREFIX + quote(field.name)
    else:
        try:
            handle = field.storage.open(field.name, "rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="inspection-photo-{photo.pk}.jpg"'
    response["Cache-Control"] = f"private, max-age={PHOTO_CACHE_SECONDS}"
    return response
