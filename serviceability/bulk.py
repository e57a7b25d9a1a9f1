"""Bulk address lists: a CSV (or pasted lines) read into a BulkList, then checked row by row in the
background through services.address_check, the same cache, single flight and upstream budget
(SERVICEABILITY_MAX_RPS, shared by every process) as /check/.

Reading is all or nothing: a file that is too big, binary, not UTF-8, without the columns it needs
or with more than MAX_ROWS addresses is refused with one plain sentence, and nothing is stored. A
row that cannot be checked (no city, an unknown state, too long, a spreadsheet formula) is kept
with its reason, never dropped.

Checking resumes: rows are done one at a time and never again; a list whose worker stopped (no
heartbeat for STALE_SECONDS) is started again when its page is opened, and carries on from its
first row still waiting. One worker at a time works on a list (a lock in the shared cache).
"""

from __future__ import annotations

import csv
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import zip_longest

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.utils import timezone

from mycrm_portal.spreadsheet import looks_like_formula
from serviceability.domain import provider_lines
from serviceability.forms import AddressCheckForm
from serviceability.models import BulkList, BulkRow
from serviceability.presentation import primary_location
from serviceability.services import address_cached, address_check
from serviceability.signals import bulk_list_ready

logger = logging.getLogger(__name__)

MAX_ROWS = 1000
MAX_BYTES = 1_000_000
MAX_CELL = 300
STALE_SECONDS = 60
_LOCK_SECONDS = 90
_BEAT_SECONDS = 5

# Header names a spreadsheet may use for each field (compared lower-cased, without spaces and _-).
HEADERS = {
    "street": ("street", "address", "streetaddress", "address1", "addressline1", "addr", "line1"),
    "city": ("city", "town", "locality"),
    "state": ("state", "st", "statecode", "province", "region"),
    "zip": ("zip", "zipcode", "zip5", "postalcode", "postcode", "postal"),
    "unit": ("unit", "apt", "apartment", "suite", "aptunit", "unitnumber", "aptnumber", "address2", "addressline2"),
}


class BulkInputError(ValueError):
    """The input as a whole cannot be read; the message says why, in a sentence."""


@dataclass
class ParsedRow:
    number: int
    values: list[str]
    street: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    unit: str = ""
    reason: str = ""


@dataclass
class ParsedList:
    columns: list[str]
    rows: list[ParsedRow] = field(default_factory=list)


def _squash(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


TOO_BIG = f"The file is larger than {MAX_BYTES // 1_000_000} MB; a list holds at most {MAX_ROWS} addresses."


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise BulkInputError(TOO_BIG)
    if b"\x00" in data:
        raise BulkInputError(
            "This is not a CSV file (it holds binary data). Save the sheet as “CSV UTF-8” and upload that."
        )
    try:
        return data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte order mark
    except UnicodeDecodeError:
        raise BulkInputError("The file is not UTF-8 text. Save the sheet as “CSV UTF-8” and upload that.") from None


def parse_csv(data: bytes) -> ParsedList:
    """A CSV with a header row naming its columns, in any order: street, city, state, and
    optionally zip and unit (other columns are kept for the download); `,`, `;` or tab."""
    text = _decode(data)
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise BulkInputError("The file is empty.")
    first = next(line for line in lines if line.strip())
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first))
    try:
        records = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise BulkInputError(f"The file is not a readable CSV ({exc}).") from None
    header, body = records[0], records[1:]
    columns = [cell.strip() for cell in header]
    where = {}
    for index, name in enumerate(columns):
        for target, names in HEADERS.items():
            if _squash(name) in names and target not in where:
                where[target] = index
    missing = [name for name in ("street", "city", "state") if name not in where]
    if missing:
        raise BulkInputError(
            "The first row must name the columns street, city and state (zip and unit are optional); "
            f"it has: {', '.join(columns)[:200] or 'nothing'}."
        )
    return ParsedList(columns=columns, rows=_rows(body, where))


def parse_lines(text: str) -> ParsedList:
    """Pasted lines, one address each: "street, city, state[, zip]" (a `;` works too)."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise BulkInputError("Paste at least one address, one per line: street, city, state.")
    records = []
    for line in lines:
        sep = ";" if line.count(";") > line.count(",") else ","
        records.append(next(csv.reader([line], delimiter=sep, skipinitialspace=True)))
    return ParsedList(
        columns=["street", "city", "state", "zip"],
        rows=_rows(records, {"street": 0, "city": 1, "state": 2, "zip": 3}),
    )


def _rows(records: list[list[str]], where: dict[str, int]) -> list[ParsedRow]:
    if len(records) > MAX_ROWS:
        raise BulkInputError(f"The list has {len(records)} addresses; at most {MAX_ROWS} can be checked at once.")
    rows = []
    for number, record in enumerate(records, start=1):
        values = [cell.strip() for cell in record]

        def get(name, values=values):
            return values[where[name]] if name in where and where[name] < len(values) else ""

        row = ParsedRow(number=number, values=[v[:MAX_CELL] for v in values])
        row.reason = _reason(values, get)
        if not row.reason:
            form = AddressCheckForm(
                {"street": get("street"), "city": get("city"), "state": get("state"), "zip": get("zip")}
            )
            if form.is_valid():
                data = form.cleaned_data
                row.street, row.city, row.state, row.zip = data["street"], data["city"], data["state"], data["zip"]
                row.unit = get("unit")[:60]
            else:
                row.reason = "; ".join(
                    f"{form.fields[name].label or name.capitalize()}: {errors[0]}"
                    for name, errors in form.errors.items()
                )[:200]
        if row.reason:  # kept as typed (cut), so the rep sees which one it was
            row.street, row.city, row.state = get("street")[:200], get("city")[:100], get("state")[:2]
        rows.append(row)
    return rows


def _reason(values: list[str], get) -> str:
    if any(looks_like_formula(value) for value in (get("street"), get("city"), get("state"))):
        return "Starts like a spreadsheet formula (=, +, - or @): not an address."
    if any(len(value) > MAX_CELL for value in values):
        return f"A cell is longer than {MAX_CELL} characters."
    if not get("city"):
        return "No city."
    return ""


@transaction.atomic
def bulk_list_create(*, user, name: str, parsed: ParsedList) -> BulkList:
    """Store the list and all its rows at once (nothing half-imported), then ask for its check."""
    bulk = BulkList.objects.create(user=user, name=name[:200], columns=parsed.columns, total=len(parsed.rows))
    BulkRow.objects.bulk_create(
        BulkRow(
            bulk_list=bulk,
            number=row.number,
            values=row.values,
            street=row.street,
            city=row.city,
            state=row.state,
            zip=row.zip,
            unit=row.unit,
            status=BulkRow.Status.INVALID if row.reason else BulkRow.Status.PENDING,
            reason=row.reason,
        )
        for row in parsed.rows
    )
    transaction.on_commit(lambda: bulk_list_ready.send(sender=BulkList, bulk_list_id=bulk.pk))
    return bulk


def bulk_list_resume_if_stalled(bulk: BulkList) -> bool:
    """Start a list again whose worker stopped (a restart, a crash): True when asked."""
    if bulk.status == BulkList.Status.DONE:
        return False
    moved = bulk.heartbeat_at or bulk.created_at
    if timezone.now() - moved < timedelta(seconds=STALE_SECONDS):
        return False
    if not cache.add(f"bulk:resume:{bulk.pk}", 1, timeout=STALE_SECONDS):
        return False  # asked a moment ago
    logger.info("Bulk list %s stalled since %s; starting it again", bulk.pk, moved.isoformat())
    bulk_list_ready.send(sender=BulkList, bulk_list_id=bulk.pk)
    return True


def bulk_list_run(bulk_list_id: int) -> int:
    """Check the list's waiting rows (BULK_CHECK_THREADS at a time: rows found in the cache need
    not wait behind the ones that wait for an upstream slot); returns how many this run checked."""
    lock = f"bulk:run:{bulk_list_id}"
    if not cache.add(lock, 1, timeout=_LOCK_SECONDS):
        return 0  # another worker is on it
    try:
        bulk = BulkList.objects.select_related("user").filter(pk=bulk_list_id).first()
        if bulk is None:
            return 0
        BulkList.objects.filter(pk=bulk.pk).update(status=BulkList.Status.RUNNING, heartbeat_at=timezone.now())
        pending = list(bulk.rows.filter(status=BulkRow.Status.PENDING).order_by("number"))
        # Rows the cache answers go between the ones that wait for an upstream slot, so that the
        # threads work on them while the budget makes the others wait.
        cached, upstream = [], []
        for row in pending:
            (cached if address_cached(street=row.street, city=row.city, state=row.state) else upstream).append(row)
        pending = [row for pair in zip_longest(upstream, cached) for row in pair if row is not None]
        threads = max(int(settings.BULK_CHECK_THREADS), 1)
        if threads == 1 or len(pending) < 2:
            done = sum(_check_row(bulk, row, lock) for row in pending)
        else:
            with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="bulk") as pool:
                done = sum(pool.map(lambda row: _in_thread(_check_row, bulk, row, lock), pending))
        BulkList.objects.filter(pk=bulk.pk).update(status=BulkList.Status.DONE, finished_at=timezone.now())
    finally:
        cache.delete(lock)
    return done


def _in_thread(work, *args):
    try:
        return work(*args)
    finally:
        connections.close_all()  # this thread's own database connections


def _check_row(bulk: BulkList, row: BulkRow, lock: str) -> int:
    street = f"{row.street} {row.unit}".strip() if row.unit else row.street
    check = address_check(user=bulk.user, street=street, city=row.city, state=row.state, zip_code=row.zip)
    _store(row, check)
    # The heartbeat and the lock are renewed every few seconds, not with every row.
    if cache.add(f"{lock}:beat", 1, timeout=_BEAT_SECONDS):
        BulkList.objects.filter(pk=bulk.pk).update(heartbeat_at=timezone.now())
        cache.touch(lock, _LOCK_SECONDS)
    return 1


def _store(row: BulkRow, check) -> None:
    location = primary_location(check.result)
    best = provider_lines(location, "residential")[:1] if location is not None else []
    line = best[0] if best else None
    row.address_check = check
    row.status = BulkRow.Status.DONE
    row.level = check.residential_level or ""
    if check.outcome == "no_match":
        row.reason = "No location found for this address."
    elif check.result is None:
        row.reason = (check.error_message or "The address service did not answer.")[:200]
    row.best_provider = line.display_name[:200] if line else ""
    row.best_technology = line.technology_label[:60] if line else ""
    row.best_speeds = line.speeds[:40] if line else ""
    row.save(
        update_fields=[
            "address_check",
            "status",
            "level",
            "reason",
            "best_provider",
            "best_technology",
            "best_speeds",
        ]
    )
