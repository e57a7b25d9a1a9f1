"""Bulk address lists: /check/bulk/ (upload a CSV or paste lines), the list's own page with its
progress (htmx polls the rows while it is checked), and its CSV download. A list is its maker's,
their team leads' and staff's (mycrm_portal/access.py)."""

import csv

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from mycrm_portal import access
from mycrm_portal.spreadsheet import safe_cell
from serviceability.bulk import (
    MAX_BYTES,
    MAX_ROWS,
    TOO_BIG,
    BulkInputError,
    bulk_list_create,
    bulk_list_resume_if_stalled,
    parse_csv,
    parse_lines,
)
from serviceability.links import lead_create_url
from serviceability.models import BulkList, BulkRow


class BulkUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        required=False,
        help_text=f"A header row naming street, city, state (zip and unit optional), in any order; "
        f"“,” or “;”; up to {MAX_ROWS} addresses.",
    )
    lines = forms.CharField(
        label="Or paste addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "55 Trinity Ave SW, Atlanta, GA, 30303"}),
        help_text="One per line: street, city, state, and a ZIP if you have it.",
    )

    def clean(self):
        cleaned = super().clean()
        upload, lines = cleaned.get("file"), (cleaned.get("lines") or "").strip()
        if not upload and not lines:
            raise forms.ValidationError("Choose a CSV file or paste some addresses.")
        try:
            if upload:
                if upload.size > MAX_BYTES:
                    raise BulkInputError(TOO_BIG)
                cleaned["parsed"] = parse_csv(upload.read(MAX_BYTES + 1))
                cleaned["name"] = upload.name
            else:
                cleaned["parsed"] = parse_lines(lines)
                cleaned["name"] = "Pasted lines"
        except BulkInputError as exc:
            self.add_error("file" if upload else "lines", str(exc))
        return cleaned


def _visible_lists(user):
    return access.visible(BulkList.objects.select_related("user"), user, "user")


@require_http_methods(["GET", "POST"])
def bulk_upload(request):
    if request.method == "POST":
        form = BulkUploadForm(request.POST, request.FILES)
        if form.is_valid():
            bulk = bulk_list_create(
                user=request.user, name=form.cleaned_data["name"], parsed=form.cleaned_data["parsed"]
            )
            return redirect(bulk)
    else:
        form = BulkUploadForm()
    lists = _visible_lists(request.user)[:10]
    return render(request, "serviceability/bulk_upload.html", {"form": form, "lists": lists})


def _bulk_for(request, pk) -> BulkList:
    bulk = get_object_or_404(BulkList.objects.select_related("user"), pk=pk)
    if not access.may_act_for(request.user, bulk.user_id):
        raise Http404("No such list.")
    return bulk


@require_GET
@never_cache
def bulk_list_detail(request, pk):
    bulk = _bulk_for(request, pk)
    bulk_list_resume_if_stalled(bulk)
    # Polled every 2 s while it runs: the rows alone, never the checks' snapshots (the lead links
    # go through bulk_row_lead, which builds the prefilled form's URL when one is clicked).
    rows = list(bulk.rows.all())
    done = sum(1 for row in rows if row.status != BulkRow.Status.PENDING)
    checked = [row for row in rows if row.status == BulkRow.Status.DONE]
    context = {
        "bulk": bulk,
        "rows": rows,
        "done": done,
        "invalid": [row for row in rows if row.status == BulkRow.Status.INVALID],
        "checked_count": len(checked),
        "finished": done == len(rows),
    }
    template = "serviceability/bulk_list.html"
    if request.htmx and request.htmx.target == "bulk-progress":
        template += "#progress"
    return render(request, template, context)


@require_GET
def bulk_row_lead(request, pk, number):
    """ "Create lead" of one row: the lead form, prefilled from the row's check."""
    bulk = _bulk_for(request, pk)
    row = get_object_or_404(bulk.rows.select_related("address_check"), number=number, address_check__isnull=False)
    return redirect(lead_create_url(row.address_check))


@require_GET
def bulk_list_csv(request, pk):
    bulk = _bulk_for(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="address-list-{bulk.pk}.csv"'
    response.write("\ufeff")  # Excel reads it as UTF-8
    writer = csv.writer(response)
    extra = ["check_status", "level", "best_provider", "technology", "down_up_mbps", "reason"]
    writer.writerow([safe_cell(c) for c in bulk.columns] + extra)
    width = len(bulk.columns)
    for row in bulk.rows.all():
        values = (row.values + [""] * width)[:width]
        writer.writerow(
            [safe_cell(v) for v in values]
            + [
                row.get_status_display(),
                row.level,
                safe_cell(row.best_provider),
                row.best_technology,
                row.best_speeds,
                safe_cell(row.reason),
            ]
        )
    return response
