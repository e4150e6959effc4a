"""Stock pages: lists, item pages, movements and the field count. Quantities change only
through `inventory.services`."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from inventory import services
from inventory.filters import LowStockFilter, SupplyInventoryFilter
from inventory.forms import (
    FieldCountForm,
    StockMovementForm,
    SupplyInventoryForm,
    stock_row_formset,
)
from inventory.models import MovementKind, SupplyInventory, format_quantity
from inventory.permissions import can_adjust_stock, can_edit_item, can_record_usage
from inventory.rows import low_stock_groups, stock_rows
from janitorial_crm.csv_export import csv_response
from janitorial_crm.mixins import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedFormView,
    ScopedListView,
    ScopedUpdateView,
)
from janitorial_crm.pagination import per_page, per_page_context
from janitorial_crm.validators import parse_pk
from sites.models import ClientSite


def _forecast_context():
    return {
        "forecast_window_days": settings.STOCK_FORECAST_WINDOW_DAYS,
        "forecast_warn_days": settings.STOCK_FORECAST_WARN_DAYS,
    }


class StockQuerysetMixin:
    """Items with their site, forecast and quantity to order, in one query."""

    model = SupplyInventory
    permission_required = "inventory.view_supplyinventory"

    def get_scoped_queryset(self):
        return (
            super()
            .get_scoped_queryset()
            .select_related("site")
            .with_forecast()
            .with_quantity_to_order()
            .order_by("site__site_name", "site_id", "item_name", "pk")
        )


class SupplyInventoryListView(StockQuerysetMixin, ScopedListView):
    """Stock across all the user's sites, or one site's with `?site=<pk>`."""

    filterset_class = SupplyInventoryFilter
    template_name = "inventory/supplyinventory_list.html"
    # The columns the rows show (the forecast comes on top, annotated); None: every column.
    list_columns: tuple[str, ...] | None = (
        "item_name",
        "sku",
        "category",
        "unit",
        "quantity_on_hand",
        "reorder_level",
        "par_level",
        "site__site_code",
    )

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset if self.list_columns is None else queryset.only(*self.list_columns)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_forecast_context())
        context["rows"] = stock_rows(context["object_list"])
        site = self._selected_site()
        context["selected_site"] = site
        context["can_record_usage"] = site is not None and can_record_usage(self.request.user, site)
        return context

    def _selected_site(self):
        form = self.filterset.form
        if form.is_valid():
            return form.cleaned_data.get("site")
        return None


class SupplyInventoryExportView(SupplyInventoryListView):
    """The filtered stock list (every page of it) as CSV."""

    list_columns = None

    HEADER = (
        "site_code",
        "site_name",
        "sku",
        "item",
        "category",
        "unit",
        "on_hand",
        "reorder_level",
        "par_level",
        "to_order",
        "low",
        "daily_usage",
        "days_left",
        "last_restocked_at",
    )

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(self.get_filterset_class())
        if self.filterset.is_bound and not self.filterset.is_valid() and self.get_strict():
            items = self.filterset.queryset.none()
        else:
            items = self.filterset.qs
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return csv_response(
            filename=f"stock-{stamp}.csv",
            header=self.HEADER,
            rows=(self.row(item) for item in items.iterator(chunk_size=500)),
        )

    @staticmethod
    def row(item):
        restocked = item.last_restocked_at
        return (
            item.site.site_code,
            item.site.site_name,
            item.sku,
            item.item_name,
            item.get_category_display(),
            item.get_unit_display(),
            format_quantity(item.quantity_on_hand),
            format_quantity(item.reorder_level),
            format_quantity(item.effective_par_level),
            format_quantity(item.to_order),
            "yes" if item.is_low else "no",
            f"{item.daily_usage:.2f}",
            "" if item.days_left is None else f"{item.days_left:.1f}",
            timezone.localtime(restocked).isoformat(timespec="minutes") if restocked else "",
        )


class LowStockListView(StockQuerysetMixin, ScopedListView):
    """Low items, and items forecast to be low soon, grouped by site with what to order."""

    filterset_class = LowStockFilter
    template_name = "inventory/low_stock.html"

    def get_scoped_queryset(self):
        return super().get_scoped_queryset().needing_attention()

    def paginate_queryset(self, queryset, page_size):
        """Which items need attention depends on the forecast, a correlated subquery per item.

        Paginating the queryset itself runs it twice over every item in scope (the paginator's
        COUNT, then the page). Instead: one query for the keys of the whole list, in order
        (the forecast computed once per item), paginated in Python, then the page's rows with
        their forecast, for those 25 items only.
        """
        keys = list(queryset.values_list("pk", flat=True))
        paginator, page, page_keys, is_paginated = super().paginate_queryset(keys, page_size)
        rows = queryset.filter(pk__in=page_keys).in_bulk()
        page.object_list = [rows[pk] for pk in page_keys if pk in rows]
        return paginator, page, page.object_list, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_forecast_context())
        context["site_groups"] = low_stock_groups(context["object_list"])
        # The export lists what this page lists: low or running low soon, same filters.
        query = self.request.GET.copy()
        for name in ("page", "low", "soon"):
            query.pop(name, None)
        query.update({"low": "1", "soon": "1"})
        context["export_querystring"] = query.urlencode()
        return context


class SupplyInventoryDetailView(StockQuerysetMixin, ScopedDetailView):
    """One item: its figures, its forecast and its ledger (newest first, paginated)."""

    ledger_per_page = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item, user = self.object, self.request.user
        ledger = item.movements.select_related("created_by").order_by("-created_at", "-pk")
        size = per_page(self.request, self.ledger_per_page)
        page = Paginator(ledger, size).get_page(self.request.GET.get("page"))
        context.update(_forecast_context())
        context.update(per_page_context(self.request, size, self.ledger_per_page))
        context.update(
            {
                "page_obj": page,
                "paginator": page.paginator,
                "is_paginated": page.has_other_pages(),
                "movements": page.object_list,
                "querystring": "" if size == self.ledger_per_page else f"per_page={size}",
                "can_edit": can_edit_item(user, item),
                "can_adjust": can_adjust_stock(user, item),
                "can_record_usage": can_record_usage(user, item.site),
            }
        )
        return context


class SupplyInventoryFormMixin:
    """Create or edit an item through `inventory.services`; what the service refuses (a SKU
    that someone else saved at the site a moment ago) is shown on the form."""

    model = SupplyInventory
    form_class = SupplyInventoryForm
    success_message = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"item": self.object})
        return redirect(self.object)


class SupplyInventoryCreateView(SupplyInventoryFormMixin, ScopedCreateView):
    permission_required = "inventory.add_supplyinventory"
    success_message = gettext_lazy("Item %(item)s added.")

    def get_initial(self):
        initial = super().get_initial()
        site = parse_pk(self.request.GET.get("site"))
        if site is not None:
            initial["site"] = site
        return initial

    def save(self, form):
        return services.stock_item_create(
            item=form.save(commit=False),
            opening_quantity=form.cleaned_data.get("opening_quantity"),
            by=self.request.user,
        )


class SupplyInventoryUpdateView(SupplyInventoryFormMixin, ScopedUpdateView):
    permission_required = "inventory.view_supplyinventory"
    object_permission = can_edit_item
    success_message = gettext_lazy("Item %(item)s saved.")

    def get_queryset(self):
        return super().get_queryset().select_related("site")

    def save(self, form):
        return services.stock_item_update(item=form.save(commit=False), fields=form.changed_data)


class StockMovementCreateView(ScopedFormView):
    """Restock, record usage of or correct one item (coordinators and supervisors)."""

    model = SupplyInventory
    context_object_name = "item"
    permission_required = "inventory.view_supplyinventory"
    object_permission = can_adjust_stock
    form_class = StockMovementForm
    template_name = "inventory/stockmovement_form.html"

    def get_queryset(self):
        return super().get_queryset().select_related("site")

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind} if kind in MovementKind.values else {}

    def form_valid(self, form):
        item = self.object
        try:
            movement = services.stock_apply_movement(
                item=item,
                kind=form.cleaned_data["kind"],
                quantity=form.cleaned_data["quantity"],
                note=form.cleaned_data["note"],
                by=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(kind)s recorded: %(item)s now %(quantity)s %(unit)s on hand.")
            % {
                "kind": movement.get_kind_display(),
                "item": item.item_name,
                "quantity": format_quantity(movement.quantity_after),
                "unit": item.get_unit_display(),
            },
        )
        return redirect(item)


class SiteStockRecordView(ScopedFormView):
    """The field count: on a phone, record usage (or a shelf count) for every item of one
    site in one form. Empty rows are skipped; the filled rows are recorded all or none."""

    model = ClientSite
    context_object_name = "site"
    permission_required = "sites.view_clientsite"
    object_permission = can_record_usage
    form_class = FieldCountForm
    template_name = "inventory/site_stock_form.html"
    kind = MovementKind.USAGE

    @cached_property
    def items(self):
        return list(
            SupplyInventory.objects.for_user(self.request.user)
            .filter(site=self.object)
            .order_by("item_name", "pk")
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", stock_row_formset(items=self.items, kind=self.kind, data=None))
        return super().get_context_data(
            kind=self.kind, is_count=self.kind == MovementKind.CORRECTION, **kwargs
        )

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        formset = stock_row_formset(items=self.items, kind=self.kind, data=request.POST)
        if not (form.is_valid() and formset.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        rows = formset.filled_rows()
        if not rows:
            form.add_error(None, _("Enter a quantity for at least one item."))
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        try:
            services.stock_apply_movements(
                changes=[(item, quantity) for _form, item, quantity in rows],
                kind=self.kind,
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except services.StockBatchError as error:
            for index, row_error in error.errors.items():
                rows[index][0].add_error(None, row_error)
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        messages.success(
            request,
            ngettext(
                "Recorded %(count)d item at %(site)s.",
                "Recorded %(count)d items at %(site)s.",
                len(rows),
            )
            % {"count": len(rows), "site": self.object.site_code},
        )
        return redirect(request.path)


class SiteStockUsageView(SiteStockRecordView):
    """How much of each item was used (usage movements)."""

    kind = MovementKind.USAGE


class SiteStockCountView(SiteStockRecordView):
    """How much of each item is on the shelf (count corrections)."""

    kind = MovementKind.CORRECTION
