"""R's own parser, through rpy2: `parse(text=, keep.source=TRUE)` and `utils::getParseData()` become a tree.

Each node is an R parse-data row (token, text, start/end line and column) with its children in source order.
Comments are kept apart, by position, so the emitter can put them back where they stood.
"""


class RParseError(SyntaxError):
    """R's own parse error (its message names the line and column), raised for R code with a syntax error."""


class Node:
    __slots__ = ("token", "text", "line1", "col1", "line2", "col2", "children")

    def __init__(self, token, text, line1, col1, line2, col2):
        self.token, self.text = token, text
        self.line1, self.col1, self.line2, self.col2 = line1, col1, line2, col2
        self.children = []

    def __repr__(self):
        return f"Node({self.token!r}, {self.text!r}, {self.line1}:{self.col1})"

    @property
    def terminal(self):
        return not self.children and self.token not in ("expr", "forcond", "equal_assign",
                                                        "expr_or_assign_or_help")

    def tokens(self):
        return [c.token for c in self.children]


_R = None


def _r():
    """The R function that parses text and returns its parse data as plain vectors (one rpy2 call per file)."""
    global _R
    if _R is None:
        try:
            import rtorch.r  # noqa: F401  (sets up R's library path for rpy2)
        except ImportError:
            pass
        import rpy2.robjects as ro
        _R = ro.r("""function(text) {
            exprs <- tryCatch(parse(text = text, keep.source = TRUE, encoding = "UTF-8"),
                              error = function(e) e)
            if (inherits(exprs, "error")) return(list(error = conditionMessage(exprs)))
            d <- utils::getParseData(exprs, includeText = NA)
            if (is.null(d) || nrow(d) == 0L) return(list(n = 0L))
            list(n = nrow(d), id = d$id, parent = d$parent, token = d$token, text = d$text,
                 line1 = d$line1, col1 = d$col1, line2 = d$line2, col2 = d$col2)
        }""")
    return _R


def parse_r(text):
    """Parse R source; returns (top-level expression nodes, comment nodes). Raises RParseError."""
    res = _r()(text)
    names = list(res.names)
    if "error" in names:
        raise RParseError(str(res.rx2("error")[0]))
    n = int(res.rx2("n")[0])
    if n == 0:
        return [], []
    cols = {k: list(res.rx2(k)) for k in ("id", "parent", "token", "text", "line1", "col1", "line2", "col2")}
    nodes, parents = {}, {}
    for i in range(n):
        text = cols["text"][i]
        if cols["token"][i].startswith("SYMBOL") and len(text) > 1 and text[0] == "`" == text[-1]:
            text = text[1:-1]
        node = Node(cols["token"][i], text, cols["line1"][i], cols["col1"][i],
                    cols["line2"][i], cols["col2"][i])
        nodes[cols["id"][i]] = node
        parents[cols["id"][i]] = cols["parent"][i]
    top, comments = [], []
    for nid, node in nodes.items():
        if node.token == "COMMENT":
            comments.append(node)
            continue
        parent = parents[nid]
        if parent > 0 and parent in nodes:
            nodes[parent].children.append(node)
        else:
            top.append(node)
    for node in nodes.values():
        if len(node.children) > 1:
            node.children.sort(key=lambda c: (c.line1, c.col1))
    top.sort(key=lambda c: (c.line1, c.col1))
    comments.sort(key=lambda c: (c.line1, c.col1))
    return top, comments
