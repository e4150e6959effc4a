import pytest
from django import forms

from janitorial_crm.widgets import FastSelect
from tests.factories import ClientSiteFactory

CHOICES = [
    ("", "---------"),
    (1, 'Tower <script>alert("x")</script> & Co'),
    ("Group <b>", [(2, "two"), (3, "three")]),
    (4, "four"),
]


@pytest.mark.parametrize("value", [None, "", 1, "3", ["4"], "nope"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_site", "class": "form-select", "required": True, "hidden": False}]
)
def test_renders_exactly_what_djangos_select_renders(value, attrs):
    expected = forms.Select(choices=CHOICES).render("site", value, attrs)
    assert FastSelect(choices=CHOICES).render("site", value, attrs) == expected


def test_labels_values_and_group_names_are_escaped():
    html = FastSelect(choices=[('a"b', "<script>x</script>"), ("<g>", [(1, "one")])]).render(
        "site", None
    )
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert 'value="a&quot;b"' in html
    assert '<optgroup label="&lt;g&gt;">' in html


def test_the_chosen_value_is_selected_and_only_once():
    html = FastSelect(choices=[(1, "a"), (2, "b"), ("2", "b again")]).render("site", 2)
    assert '<option value="2" selected>b</option>' in html
    assert html.count(" selected") == 1


def test_the_empty_choice_is_selected_when_nothing_is_chosen():
    html = FastSelect(choices=[("", "All"), (1, "a")]).render("site", None)
    assert '<option value="" selected>All</option>' in html


@pytest.mark.django_db
def test_a_model_choice_field_renders_like_select_and_validates_the_same():
    sites = [ClientSiteFactory(site_name=f"Site <{n}>") for n in range(3)]

    class Form(forms.Form):
        slow = forms.ModelChoiceField(queryset=type(sites[0]).objects.order_by("pk"))
        fast = forms.ModelChoiceField(
            queryset=type(sites[0]).objects.order_by("pk"), widget=FastSelect
        )

    form = Form(data={"slow": sites[1].pk, "fast": sites[1].pk})
    assert form.is_valid()
    assert form.cleaned_data["fast"] == sites[1]
    slow = str(form["slow"]).replace("slow", "FIELD")
    fast = str(form["fast"]).replace("fast", "FIELD")
    assert fast == slow
    assert f'<option value="{sites[1].pk}" selected>' in fast
