"""The form renderer (settings.FORM_RENDERER): Django's, with the widgets every form uses (inputs,
selects and their options, text areas) written in Python instead of rendered from Django's widget
templates.

Rendering a widget from its templates costs a template include per attribute list and per option:
on the lead form that was about 6 ms of a 9 ms page, and the state list's 57 options 2.5 ms of the
address check. The Python below writes the same characters as those templates (a test compares
them, widget by widget, for every form of the portal); any other widget or template goes to
Django's templates as before.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

# input.html and the templates that are only an include of it.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
)
_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"
_TEXTAREA = "django/forms/widgets/textarea.html"


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = f' value="{conditional_escape(str(value))}"' if value is not None else ""
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>\n"
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"
    )


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None  # an option of its own kind: Django's templates
            parts.append(f"\n  {_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _textarea(widget: dict) -> str:
    value = widget["value"]
    shown = conditional_escape(value) if value else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{shown}</textarea>\n'


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            html = None
            if template_name in _INPUT_TEMPLATES:
                html = _input(widget)
            elif template_name == _SELECT:
                html = _select(widget)
            elif template_name == _OPTION:
                html = _option(widget)
            elif template_name == _TEXTAREA:
                html = _textarea(widget)
            if html is not None:
                return html.strip()  # as Django's renderer strips what a template wrote
        return super().render(template_name, context, request=request)
