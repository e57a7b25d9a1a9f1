"""Replaying the captured vtiger 8 exchanges against the sandbox.

Each capture is replayed in a fresh database. First the world is rebuilt as it was when the
capture was taken: every successful create, update, revise and delete captured before it that
touched a record it refers to (or all of them, for queries and duplicate checks) is run again
in-process, as the same CRM user. Captured record ids (10x2, 12x20, ...) are mapped to the ids the
sandbox gave. Then the capture's own request goes over HTTP with its placeholders filled in: a
live session of the right user, md5(token + access key) from a fresh (or superseded, or expired)
challenge, and so on.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from mycrm_portal.sandbox import auth, services, webservice
from mycrm_portal.sandbox.models import SandboxChallenge, SandboxSession, SandboxUser

CAPTURES = Path(__file__).resolve().parent.parent / "data" / "captures"
WRITES = ("create", "update", "revise", "delete")
_RECORD_ID = re.compile(r"\b(1[0-2])x(\d+)\b")


def capture_key(name: str) -> tuple[int, str]:
    number, suffix = re.match(r"(\d+)([a-z]?)", name).groups()
    return int(number), suffix


def capture_names() -> list[str]:
    return sorted((p.stem for p in CAPTURES.glob("*.json")), key=capture_key)


def load(name: str) -> dict:
    return json.loads((CAPTURES / f"{name}.json").read_text())


def answer_json(capture: dict):
    response = capture["response"]
    return response["json"] if response["json"] is not None else response["json_after_leaked_output"]


def operation_of(capture: dict) -> str:
    request = capture["request"]
    params = {**(request["query_params"] or {})}
    if isinstance(request["form_params"], dict):
        params.update(request["form_params"])
    return (params.get("operation") or "").lower()


def user_of(name: str, capture: dict) -> str:
    """The CRM user whose session the capture used: the non-admin `apiuser` for 230-241."""
    form = capture["request"]["form_params"]
    if isinstance(form, dict) and form.get("username", "").lower() == "apiuser":
        return "apiuser"
    return "apiuser" if 230 <= capture_key(name)[0] <= 241 else "admin"


def _numbers_in(value) -> set[int]:
    return {int(n) for _, n in _RECORD_ID.findall(json.dumps(value))}


@dataclass
class Change:
    name: str
    operation: str
    params: dict
    user: str
    touched: int


def _changes() -> list[Change]:
    """The captured writes that succeeded, in capture order."""
    result = []
    for name in capture_names():
        capture = load(name)
        operation = operation_of(capture)
        answer = answer_json(capture)
        if operation not in WRITES or not answer or not answer.get("success"):
            continue
        form = capture["request"]["form_params"]
        ws_id = form["id"] if operation == "delete" else answer["result"]["id"]
        touched = int(ws_id.split("x")[1])
        result.append(Change(name, operation, form, user_of(name, capture), touched))
    return result


CHANGES = _changes()


@dataclass
class World:
    """The sandbox state for one capture, and how its captured ids map to the sandbox's."""

    ids: dict[int, int] = field(default_factory=dict)

    def map_text(self, text: str) -> str:
        def swap(match):
            number = int(match.group(2))
            return f"{match.group(1)}x{self.ids.get(number, number)}"

        return _RECORD_ID.sub(swap, text)

    def map_value(self, value):
        if isinstance(value, str):
            return self.map_text(value)
        if isinstance(value, dict):
            return {k: self.map_value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.map_value(v) for v in value]
        return value


def build_world(name: str, capture: dict, *, everything: bool) -> World:
    """Replay in-process the captured writes before `name` that its exchange depends on."""
    world = World()
    needed = _numbers_in(capture["request"]) | _numbers_in(answer_json(capture))
    for change in CHANGES:
        if capture_key(change.name) >= capture_key(name):
            break
        if not everything and change.touched not in needed:
            continue
        user = SandboxUser.objects.get(user_name=change.user)
        params = {k: world.map_text(v) for k, v in change.params.items() if k not in ("operation", "sessionName")}
        result = webservice.execute(change.operation, params, user)
        if change.operation == "create":
            world.ids[change.touched] = int(result["id"].split("x")[1])
    return world


# --- Placeholders --------------------------------------------------------------------------------


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def _key_of(user_name: str) -> str:
    return SandboxUser.objects.get(user_name__iexact=user_name).access_key


def _token(user_name: str) -> str:
    return auth.getchallenge(user_name)["token"]


def expire_challenge(user_name: str) -> None:
    SandboxChallenge.objects.filter(user__user_name__iexact=user_name).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


@dataclass
class Filled:
    query: dict | None
    form: dict | str | None
    cookies: dict | None
    session: str | None


def fill(name: str, capture: dict, world: World) -> Filled:
    """The capture's request with its placeholders replaced by live values."""
    request = capture["request"]
    user_name = user_of(name, capture)
    session = services.session_open(user_name=user_name)
    login_user = None
    form = request["form_params"]
    if isinstance(form, dict):
        login_user = form.get("username")
    values = {
        "<sessionName>": session,
        "<sessionNameL>": session,
        "<sessionNameG>": session,
        "<sessionName2>": session,
        "<PHPSESSID-of-web-UI-login>": session,
        "<password>": "not-used-Pa55",
    }
    text = json.dumps([request["query_params"], request["form_params"], request["cookies"]])
    if login_user:
        key = _key_of(login_user) if login_user.lower() in ("admin", "apiuser") else "x"
        if "<md5(oldToken+accessKey)>" in text:
            old = _token(login_user)
            assert _token(login_user) != old  # the newer challenge replaced it
            values["<md5(oldToken+accessKey)>"] = _md5(old + key)
        if "<md5(expiredToken+accessKey)>" in text:
            values["<md5(expiredToken+accessKey)>"] = _md5(_token(login_user) + key)
            expire_challenge(login_user)
        if "<md5(token+accessKey)>" in text:
            values["<md5(token+accessKey)>"] = _md5(_token(login_user) + key)
        values["<accessKey>"] = key
    for placeholder, value in values.items():
        text = text.replace(json.dumps(placeholder)[1:-1], json.dumps(value)[1:-1])
    query, form, cookies = json.loads(text)
    if "PHPSESSID" in (form if isinstance(form, dict) else {}):
        form["PHPSESSID"] = "0web0ui0session0of0nobody"  # the sandbox has no web UI sessions
    query = world.map_value(query)
    form = world.map_value(form)
    return Filled(query=query, form=form, cookies=cookies, session=session)


def age_session(session: str, seconds: float) -> None:
    SandboxSession.objects.filter(name=session).update(last_used_at=timezone.now() - timedelta(seconds=seconds))
