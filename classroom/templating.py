"""The templates' Jinja environment and addresses, made cheaper where the pages spend time.

Reading dicts. The pages render prepared data: plain dicts (an attempt's snapshot, the
feedback's entries, an article's segments), read as `entry.status` in the templates. Jinja reads
`x.name` by trying the attribute first and, when that raises AttributeError, the key: for a
dict, an exception raised and caught on nearly every read, a thousand times on a feedback page.
Here a plain dict's key is read at once when the name is none of a dict's own attributes, which
is exactly when Jinja would have fallen back to the key; `answers.get(...)` and `filters.items()`
still find the method.

Building addresses. A page asks url_for for a dozen addresses (the stylesheet, the scripts, the
menu, its forms), each the same on every page of the same kind; Werkzeug builds each anew.
Here each address is built once per endpoint and values (and the app's mount point) and kept;
one asked with _external, _anchor, _method or _scheme, or outside a request, is built as before.
"""

from __future__ import annotations

from typing import Any

import flask
from flask import current_app, has_request_context, request
from flask.templating import Environment as FlaskEnvironment

DICT_ATTRIBUTES = frozenset(dir(dict))
ADDRESSES_KEPT = 4096  # addresses kept; past that, they start again


class Environment(FlaskEnvironment):
    """Flask's Jinja environment, reading a plain dict's keys at once (see above)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        """obj.attribute in a template: the attribute, else the item, else undefined."""
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def url_for(endpoint: str, **values: Any) -> str:
    """flask.url_for, each address built once and kept (see above)."""
    if not has_request_context() or current_app.jinja_env.auto_reload:
        return flask.url_for(endpoint, **values)
    if any(name.startswith("_") for name in values):
        return flask.url_for(endpoint, **values)
    relative_to = request.blueprint if endpoint.startswith(".") else None
    try:
        key = (endpoint, relative_to, request.script_root, *sorted(values.items()))
        kept: dict = current_app.extensions.setdefault("classroom.addresses", {})
        address = kept.get(key)
    except TypeError:  # a value that cannot be a key (a list of query values)
        return flask.url_for(endpoint, **values)
    if address is None:
        address = flask.url_for(endpoint, **values)
        if len(kept) >= ADDRESSES_KEPT:
            kept.clear()
        kept[key] = address
    return address


def init_app(app: flask.Flask) -> None:
    """Give the templates this module's url_for."""
    app.jinja_env.globals["url_for"] = url_for
