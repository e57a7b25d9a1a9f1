"""The subset of vtiger's query language (VTQL) a client needs, with vtiger's quirks.

    select <cols | * | count(*)> from <Module>
        [where <col> <op> <literal> [and|or <col> <op> <literal> ...]]
        [order by <col> [asc|desc]] [limit [<offset>,] <n>];

Operators: = != <> < > <= >= like (with % and _) and in (...). The trailing `;` is required. A
quote inside a literal is doubled (`'O''Brien'`, 312); a backslash escapes nothing, so
`'O\\'Fallon'` ends at the second quote and fails like on the real server (122, 313). Syntax
errors read like vtiger's parser's (111, 112). Matching is case-insensitive, as MySQL's default
collation is; `and` binds tighter than `or`, as in SQL.

Pure: it parses text and filters, sorts and cuts rows it is given. It knows nothing of modules,
permissions or the database.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

MAX_ROWS = 100

_KEYWORDS = {
    "select": "SELECT",
    "from": "FROM",
    "where": "WHERE",
    "and": "LOGICAL_AND",
    "or": "LOGICAL_OR",
    "order": "ORDERBY",
    "by": "BY",
    "asc": "ASC",
    "desc": "DESC",
    "limit": "LIMIT",
    "like": "LIKE",
    "in": "IN",
    "count": "COUNT",
}
_OPERATORS = {"=": "EQ", "!=": "NE", "<>": "NE", "<": "LT", ">": "GT", "<=": "LTE", ">=": "GTE"}
_PUNCTUATION = {",": "COMMA", ";": "SEMICOLON", "(": "PARENOPEN", ")": "PARENCLOSE", "*": "ASTERISK"}
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<quoted>'(?:[^']|'')*'|"[^"]*")
      | (?P<number>\d+x\d+|\d+(?:\.\d+)?)  # a bare record id is a value too (capture 332)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<operator><=|>=|<>|!=|=|<|>)
      | (?P<punct>[,;()*])
      | (?P<other>\S+?)
    )""",
    re.VERBOSE,
)
# Where the statement may end, vtiger's parser names only the semicolon (captures 111, 122).
_END = ("SEMICOLON",)


class VtqlError(Exception):
    """A syntax error, with vtiger's message."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


@dataclass(frozen=True)
class Condition:
    column: str
    op: str  # EQ NE LT GT LTE GTE LIKE IN
    values: tuple[str, ...]
    # An unquoted word on the right is copied into the SQL as a column name (315, 315b).
    against_column: bool = False


@dataclass
class Query:
    module: str
    columns: list[str] = field(default_factory=list)  # empty: select *
    count: bool = False
    # Disjunctive normal form: OR of AND-groups.
    where: list[list[Condition]] = field(default_factory=list)
    order_by: list[str] = field(default_factory=list)
    descending: bool = False  # applies to the last `order by` column only (310b)
    offset: int = 0
    limit: int = MAX_ROWS

    def referenced_columns(self) -> list[str]:
        """The columns a permission check covers: the select list and the where clause (an
        unknown `order by` column makes the SQL fail instead, 314c)."""
        cols = list(self.columns)
        cols += [c.column for group in self.where for c in group]
        return cols


def _tokens(text: str) -> list[Token]:
    result = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        kind = match.lastgroup
        value = match.group(kind)
        if kind in ("quoted", "number"):
            result.append(Token("VALUE", value))
        elif kind == "word":
            result.append(Token(_KEYWORDS.get(value.lower(), "COLUMNNAME"), value))
        elif kind == "operator":
            result.append(Token(_OPERATORS[value], value))
        elif kind == "punct":
            result.append(Token(_PUNCTUATION[value], value))
        else:
            # An unterminated quote swallows the rest, like the real lexer.
            if value[0] in "'\"":
                value = text[match.start(kind) :].rstrip()
                position = len(text)
            result.append(Token("Unknown", value))
    return result


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.index = 0

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def fail(self, expected, token: Token | None = None) -> VtqlError:
        token = token or self.peek()
        if token is None:
            last = self.tokens[-1].text if self.tokens else ""
            found = f"'{last}' Unexpected End of Input(0)"
        else:
            found = f"'{token.text}' Unexpected {token.kind}({token.text})"
        return VtqlError(f"Syntax Error on line 1: token {found}, expected one of: {', '.join(expected)}")

    def take(self, *kinds: str, expected=None) -> Token:
        token = self.peek()
        if token is None or token.kind not in kinds:
            raise self.fail(expected or kinds)
        self.index += 1
        return token

    def accept(self, kind: str) -> Token | None:
        token = self.peek()
        if token is not None and token.kind == kind:
            self.index += 1
            return token
        return None

    def parse(self) -> Query:
        first = self.peek()
        if first is not None and first.kind != "SELECT":
            # Before `select` the lexer knows no other word (capture 112: "Unknown(selec)").
            self.tokens[0] = Token("Unknown", first.text)
        self.take("SELECT")
        query = Query(module="")
        if self.accept("ASTERISK"):
            pass
        elif self.accept("COUNT"):
            self.take("PARENOPEN")
            self.take("ASTERISK")
            self.take("PARENCLOSE")
            query.count = True
        else:
            query.columns.append(self.take("COLUMNNAME", expected=("COLUMNNAME", "ASTERISK", "COUNT")).text)
            while self.accept("COMMA"):
                query.columns.append(self.take("COLUMNNAME").text)
        self.take("FROM", expected=("FROM", "COMMA") if query.columns else ("FROM",))
        query.module = self.take("COLUMNNAME", expected=("TABLENAME",)).text
        if self.accept("WHERE"):
            query.where = self.conditions()
        if self.accept("ORDERBY"):
            self.take("BY")
            query.order_by.append(self.take("COLUMNNAME").text)
            while self.accept("COMMA"):
                query.order_by.append(self.take("COLUMNNAME").text)
            if self.accept("DESC"):
                query.descending = True
            else:
                self.accept("ASC")
        if self.accept("LIMIT"):
            first_number = self.number()
            if self.accept("COMMA"):
                query.offset, query.limit = first_number, self.number()
            else:
                query.limit = first_number
        self.take("SEMICOLON", expected=_END)
        if self.peek() is not None:
            raise self.fail(("End of Input",))
        query.limit = min(query.limit, MAX_ROWS)
        return query

    def number(self) -> int:
        token = self.take("VALUE")
        text = token.text.strip("'\"")
        if not text.isdigit():
            raise self.fail(("VALUE",), token)
        return int(text)

    def conditions(self) -> list[list[Condition]]:
        groups = [[self.condition()]]
        while True:
            if self.accept("LOGICAL_AND"):
                groups[-1].append(self.condition())
            elif self.accept("LOGICAL_OR"):
                groups.append([self.condition()])
            else:
                token = self.peek()
                if token is not None and token.kind not in ("ORDERBY", "LIMIT", "SEMICOLON"):
                    raise self.fail(_END)
                return groups

    def condition(self) -> Condition:
        column = self.take("COLUMNNAME").text
        kinds = ("EQ", "NE", "LT", "GT", "LTE", "GTE", "LIKE", "IN")
        operator = self.take(*kinds)
        if operator.kind == "IN":
            self.take("PARENOPEN")
            values = [self.literal()]
            while self.accept("COMMA"):
                values.append(self.literal())
            self.take("PARENCLOSE", expected=("COMMA", "PARENCLOSE"))
            return Condition(column, "IN", tuple(values))
        token = self.peek()
        if token is not None and token.kind == "COLUMNNAME":
            self.index += 1
            return Condition(column, operator.kind, (token.text,), against_column=True)
        return Condition(column, operator.kind, (self.literal(),))

    def literal(self) -> str:
        text = self.take("VALUE").text
        if text[:1] == "'":
            return text[1:-1].replace("''", "'")  # a doubled quote is one quote (captures 312, 324)
        return text[1:-1] if text[:1] == '"' else text


def parse(text: str) -> Query:
    return _Parser(text).parse()


# --- Evaluation --------------------------------------------------------------------------------

# A column's comparison key: given the column and a value, what to compare (numbers for numeric
# columns and ids, case-folded text otherwise).
SortKey = Callable[[str, str], object]


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


def _like(pattern: str) -> re.Pattern:
    parts = []
    for char in pattern:
        parts.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def _matches(condition: Condition, value: str, key: SortKey, row: dict | None = None) -> bool:
    if condition.against_column:
        return value == row[condition.values[0]] if row is not None else False
    if condition.op == "LIKE":
        return bool(_like(condition.values[0]).fullmatch(value))
    if condition.op == "IN":
        return any(key(condition.column, value) == key(condition.column, v) for v in condition.values)
    left, right = key(condition.column, value), key(condition.column, condition.values[0])
    if type(left) is not type(right):
        left, right = str(value).lower(), condition.values[0].lower()
    return {
        "EQ": left == right,
        "NE": left != right,
        "LT": left < right,
        "GT": left > right,
        "LTE": left <= right,
        "GTE": left >= right,
    }[condition.op]


def select(query: Query, rows: list[dict], key: SortKey, *, id_last: bool = False) -> list[dict]:
    """The rows the query answers, in order and cut to its limit (rows come in id order).
    `id_last`: a select list without `id` gets it added as the last key (311, vtiger 8.2)."""
    known = set(rows[0]) if rows else set()
    for group in query.where:
        for c in group:
            if c.against_column and rows and c.values[0] not in known:
                return []  # an unquoted value that is no column: the SQL fails
    if any(column not in known for column in query.order_by) and rows:
        return []
    if query.where:
        rows = [r for r in rows if any(all(_matches(c, r[c.column], key, r) for c in group) for group in query.where)]
    if query.count:
        return [{"count": str(len(rows))}]
    for position, column in reversed(list(enumerate(query.order_by))):
        # Stable sorts from the last key to the first; only the last column takes `desc`.
        descending = query.descending and position == len(query.order_by) - 1

        def order(row, column=column):
            value = key(column, row[column])
            # Numbers and text rarely meet in one column, but keep the sort total anyway.
            return (1, value) if isinstance(value, str) else (0, value)

        rows = sorted(rows, key=order, reverse=descending)
    rows = rows[query.offset : query.offset + query.limit]
    if query.columns:
        names = [*query.columns, "id"] if id_last and "id" not in query.columns else query.columns
        rows = [{column: row[column] for column in names} for row in rows]
    return rows


def text_key(numeric_columns: set[str]) -> SortKey:
    """(prefix, number) for ids, so that `10x9` sorts before `10x10` and never equals `12x9`;
    numbers for numeric columns; lower-cased text for everything else."""

    def key(column: str, value: str):
        if column == "id":
            prefix, sep, number = value.partition("x")
            if sep and number.isdigit():
                return (prefix, int(number))
        elif column in numeric_columns:
            number = _decimal(value)
            if number is not None:
                return number
        return value.lower()

    return key
