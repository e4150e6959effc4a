from django.views.generic import TemplateView

from portal import dashboard


class DashboardView(TemplateView):
    """One entry page per role; `portal.dashboard` gathers what each role sees."""

    def get_template_names(self):
        return [f"portal/dashboard_{dashboard.kind_for(self.request.user)}.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(dashboard.context_for(self.request.user))
        return context
