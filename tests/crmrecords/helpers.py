"""Posting a page's form as a browser would: every input, select and textarea with its value."""

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, action_part: str):
        super().__init__(convert_charrefs=True)
        self.action_part = action_part
        self.inside = False
        self.values: dict[str, str] = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post" and self.action_part in (a.get("action") or ""):
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.values[a["name"]] = a.get("value", "on")
            elif kind not in ("submit", "button"):
                self.values[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a.get("name")
            self.values.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.values[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.lstrip("\n") if not self.values[self._textarea] else data


def form_values(html: str, action_part: str = "") -> dict[str, str]:
    parser = _Form(action_part)
    parser.feed(html)
    return parser.values
