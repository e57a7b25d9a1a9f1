"""How the portal's Lead and Contact fields fit the MyCRM it talks to, from MyCRM's own describe.

A stock vtiger has none of MyCRM's custom fields, and a create drops unknown fields silently. So the
portal compares its schema (crm/schema.py) with describe: which of its fields MyCRM has, of which
type, and whether MyCRM insists on them. For a field MyCRM lacks, staff choose in the admin: send
it to another MyCRM field (custom fields are `cf_<n>` with a label: the one whose label matches is
suggested), keep it in the portal only, or hide it. Until someone chooses, the field is kept in
the portal only: never sent into the void. Before describe has ever been read, everything is sent
(and what MyCRM did not keep shows in the answer, see crm/storage.py).

The send plan (what goes where) is read by every form and every send, and working it out compares
every field with every field of describe (milliseconds): it is kept in the shared cache, and
forgotten whenever describe's answer or a staff choice is saved or deleted (the receivers below).
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from . import storage
from .models import CrmFieldChoice, CrmModuleFields
from .schema import FIELDS_BY_MODULE, CrmField, sensitive_names

MODULES = tuple(FIELDS_BY_MODULE)


@dataclass(frozen=True)
class FieldFit:
    """One portal field against MyCRM."""

    field: CrmField
    present: bool | None  # None: describe not read yet
    crm_type: str = ""
    crm_label: str = ""
    mandatory: bool = False
    choice: CrmFieldChoice | None = None
    suggestion: str = ""  # a MyCRM field whose label matches, for a missing one

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def sent_as(self) -> str:
        """The MyCRM field the value goes to, or "" when it is not sent."""
        if self.present is not False:
            return self.name
        if self.choice and self.choice.action == CrmFieldChoice.Action.MAP:
            return self.choice.crm_field
        return ""

    @property
    def hidden(self) -> bool:
        return self.present is False and self.choice is not None and self.choice.action == CrmFieldChoice.Action.HIDE

    @property
    def portal_only(self) -> bool:
        return self.present is False and not self.sent_as and not self.hidden

    @property
    def status(self) -> str:
        if self.present is None:
            return "not known yet (MyCRM not described)"
        if self.present:
            mismatch = f", but MyCRM's type is {self.crm_type}" if self.crm_type != _expected(self.field) else ""
            return f"in MyCRM{mismatch}"
        if self.sent_as:
            return f"missing; sent to {self.sent_as}"
        if self.hidden:
            return "missing; hidden from the forms"
        decided = "" if self.choice else " (no choice made yet)"
        return f"missing; kept in the portal only{decided}"


def _expected(field: CrmField) -> str:
    return {"owner": "owner"}.get(field.type, field.type)


def _words(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", (text or "").lower())


def describe_store(module: str, description: dict) -> CrmModuleFields:
    """Keep what describe said of the module's fields (called wherever the portal describes)."""
    fields = [
        {
            "name": str(entry.get("name", "")),
            "label": str(entry.get("label", "")),
            "type": str((entry.get("type") or {}).get("name", "")),
            "mandatory": bool(entry.get("mandatory")),
        }
        for entry in description.get("fields") or []
        if entry.get("name")
    ]
    row, _ = CrmModuleFields.objects.update_or_create(
        module=module, defaults={"fields": fields, "fetched_at": timezone.now()}
    )
    return row


def describe_refresh(session) -> None:
    """Describe both modules as `session`'s user and keep the answers (raises CrmError)."""
    for module in MODULES:
        describe_store(module, session.describe(module))


def field_fit(module: str) -> list[FieldFit]:
    """Every portal field of the module against MyCRM, in the schema's order."""
    known = CrmModuleFields.objects.filter(module=module).first()
    choices = {c.field: c for c in CrmFieldChoice.objects.filter(module=module)}
    ours = {f.name for f in FIELDS_BY_MODULE[module]}
    crm = {f["name"]: f for f in known.fields} if known else {}
    spare = [f for f in crm.values() if f["name"] not in ours]
    result = []
    for field in FIELDS_BY_MODULE[module]:
        if known is None:
            result.append(FieldFit(field, None, choice=choices.get(field.name)))
            continue
        entry = crm.get(field.name)
        if entry:
            result.append(FieldFit(field, True, entry["type"], entry["label"], entry["mandatory"]))
            continue
        wanted = {_words(field.label), _words(field.name)} - {""}
        suggestion = next((f["name"] for f in spare if _words(f["label"]) in wanted), "")
        result.append(FieldFit(field, False, choice=choices.get(field.name), suggestion=suggestion))
    return result


def fit_fetched_at(module: str):
    return CrmModuleFields.objects.filter(module=module).values_list("fetched_at", flat=True).first()


@dataclass(frozen=True)
class Plan:
    """Where each portal field goes: `outgoing` maps portal names to MyCRM names (the fields sent);
    `portal_only` and `hidden` are the names that are not sent."""

    outgoing: dict[str, str]
    portal_only: frozenset[str]
    hidden: frozenset[str]

    def crm_values(self, payload: dict[str, str]) -> dict[str, str]:
        return {self.outgoing[name]: value for name, value in payload.items() if name in self.outgoing}

    def portal_values(self, record: dict) -> dict[str, str]:
        """A MyCRM record's values under the portal's names (only the fields that are sent)."""
        return {name: record[crm] for name, crm in self.outgoing.items() if crm in record}


# A bound on how long a plan worked out from rows that changed while it was being worked out (by
# another process, between its read and its cache write) can outlive the change.
PLAN_SECONDS = 300


def plan_key(module: str) -> str:
    return f"crm:plan:{module}"


def send_plan(module: str, *, found: dict | None = None) -> Plan:
    """What goes where for `module`. `found`: what the cache held a moment ago for this and other
    keys (one read for a whole form, leads/crm_options.form_reads)."""
    key = plan_key(module)
    plan = found.get(key) if found is not None else cache.get(key)
    if plan is None:
        fits = field_fit(module)
        plan = Plan(
            outgoing={f.name: f.sent_as for f in fits if f.sent_as},
            portal_only=frozenset(f.name for f in fits if f.portal_only),
            hidden=frozenset(f.name for f in fits if f.hidden),
        )
        cache.set(key, plan, timeout=PLAN_SECONDS)
    return plan


@receiver(post_save, sender=CrmModuleFields)
@receiver(post_delete, sender=CrmModuleFields)
@receiver(post_save, sender=CrmFieldChoice)
@receiver(post_delete, sender=CrmFieldChoice)
def _plan_forget(sender, instance, **kwargs):
    cache.delete(plan_key(instance.module))


def stored_differences(module: str, plan: Plan, values: dict[str, str], answer: dict) -> dict[str, dict]:
    """What MyCRM's answer (the stored record) holds otherwise than the portal's `values`:
    {field: {"why": ..., "stored": what MyCRM holds, or None for a sensitive field}}, including
    the fields not sent at all because MyCRM lacks them (kept in the portal only)."""
    specs = FIELDS_BY_MODULE[module]
    hidden = sensitive_names(module)
    sent = {name: value for name, value in values.items() if name in plan.outgoing and value}
    found = storage.differences(
        sent,
        plan.portal_values(answer),
        lengths={spec.name: spec.max_length for spec in specs},
        keeps_4byte=settings.MYCRM_TEXT_4BYTE,
    )
    result = {d.name: {"why": d.why, "stored": None if d.name in hidden else d.stored} for d in found}
    for name, value in values.items():
        if name not in plan.outgoing and value and value != "0":
            result[name] = {"why": storage.PORTAL_ONLY, "stored": None}
    return result
