"""Forms of the sandbox's staff page: switch a fault, create a CRM user."""

from django import forms

from . import dates
from .faults import MODES

OFF = "off"


class FaultForm(forms.Form):
    target = forms.ChoiceField(choices=[(t, t) for t in MODES], widget=forms.HiddenInput)
    mode = forms.ChoiceField()
    seconds = forms.FloatField(min_value=0, max_value=300, initial=5, required=False)

    def __init__(self, *args, target: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        target = target or self.data.get("target")
        modes = MODES.get(target, ())
        self.fields["mode"].choices = [(OFF, "off"), *[(m, m) for m in modes]]
        if target:
            self.fields["target"].initial = target
        # One form per target on the page: distinct ids keep the labels right.
        self.auto_id = f"id_{target}_%s" if target else "id_%s"


class CrmUserForm(forms.Form):
    user_name = forms.CharField(max_length=64)
    first_name = forms.CharField(max_length=40, required=False)
    last_name = forms.CharField(max_length=80, required=False)
    email = forms.EmailField(max_length=100, required=False)
    is_admin = forms.BooleanField(required=False, label="Admin")
    date_format = forms.ChoiceField(choices=[(f, f) for f in dates.FORMATS], initial="yyyy-mm-dd")
