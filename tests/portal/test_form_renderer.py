"""The portal's form renderer writes in Python what Django's widget templates write: the same
characters for every widget kind it takes over, and the same pages for every form of the portal."""

import datetime
import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from mycrm_portal.formrender import PortalFormRenderer

TEMPLATES = DjangoTemplates()
PORTAL = PortalFormRenderer()

VALUES = [None, "", "plain", "a <b> & \"c\" 'd'", mark_safe("<i>safe</i>"), 0, 42, datetime.date(2026, 12, 3)]
ATTRS = [
    {},
    {"id": "id_x", "required": True, "disabled": False, "maxlength": 40},
    {"aria-describedby": "id_x_error", "aria-invalid": "true", "class": 'a "b"', "data-n": 3},
]
INPUTS = [
    forms.TextInput(),
    forms.EmailInput(),
    forms.NumberInput(),
    forms.PasswordInput(render_value=True),
    forms.HiddenInput(),
    forms.DateInput(attrs={"type": "date"}),
    forms.URLInput(),
    forms.TelInput(),
    forms.SearchInput(),
    forms.CheckboxInput(),
    forms.Textarea(attrs={"rows": 3}),
]
CHOICES = [
    ("", "—"),
    ("GA", "Georgia"),
    ("T&X", 'Tex "as" <b>'),
    (7, gettext_lazy("Seven")),
    ("Group <1>", [("a", "A"), ("b", "B & b")]),
]


@pytest.mark.parametrize("widget", INPUTS, ids=lambda w: type(w).__name__)
def test_every_input_widget_is_written_as_its_template_writes_it(widget):
    for value in [*VALUES, True, False]:
        for attrs in ATTRS:
            expected = widget.render("field_1", value, attrs=attrs, renderer=TEMPLATES)
            assert widget.render("field_1", value, attrs=attrs, renderer=PORTAL) == expected


@pytest.mark.parametrize("multiple", [False, True])
def test_a_select_and_its_options_are_written_as_their_templates_write_them(multiple):
    widget = forms.SelectMultiple(choices=CHOICES) if multiple else forms.Select(choices=CHOICES)
    for value in (None, "", "GA", "T&X", 7, ["a", "GA"] if multiple else "b"):
        for attrs in ATTRS:
            expected = widget.render("state", value, attrs=attrs, renderer=TEMPLATES)
            assert widget.render("state", value, attrs=attrs, renderer=PORTAL) == expected


def test_widgets_it_does_not_take_over_still_come_from_django_templates():
    for widget in (forms.RadioSelect(choices=CHOICES[:3]), forms.CheckboxSelectMultiple(choices=CHOICES[:3])):
        expected = widget.render("pick", "GA", attrs={"id": "id_pick"}, renderer=TEMPLATES)
        assert widget.render("pick", "GA", attrs={"id": "id_pick"}, renderer=PORTAL) == expected


# What differs between two requests of one page: tokens and the CSP nonce.
_TOKENS = re.compile(r'((?:name="(?:csrfmiddlewaretoken|token)" value=|nonce=|"X-CSRFToken": )")[^"]*(")')


def _page(client, path, data=None):
    answer = client.post(path, data) if data is not None else client.get(path)
    return _TOKENS.sub(r"\1…\2", answer.content.decode())


@pytest.mark.django_db
def test_every_form_page_of_the_portal_is_the_same_with_either_renderer(client, staff, settings):
    client.force_login(staff)
    pages = [
        ("/check/", None),
        ("/check/?street=&city=Atlanta&state=XX", None),
        ("/leads/new/", None),
        ("/contacts/new/", None),
        ("/leads/new/", {"firstname": "Ann", "lastname": "", "email": "not-an-email", "state": "GA"}),
        ("/contacts/new/", {"lastname": "Jones", "birthday": "1980-02-31", "ssn": "12"}),
        ("/profile/", None),
        ("/reports/", None),
        ("/check/bulk/", None),
        ("/crm/account/", None),
        ("/", None),
        ("/admin/mycrm_portal/team/add/", None),
        ("/admin/crm/crmfieldchoice/add/", None),
        ("/admin/leads/lead/", None),
        ("/admin/auth/user/add/", None),
    ]
    portal = [_page(client, path, data) for path, data in pages]
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"
    django_pages = [_page(client, path, data) for path, data in pages]
    for (path, _), ours, theirs in zip(pages, portal, django_pages, strict=True):
        assert "<input" in ours or "<select" in ours, path
        assert ours == theirs, path
