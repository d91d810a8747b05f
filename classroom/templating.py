"""The templates' Jinja environment, made cheaper where the pages spend their time.

The pages render prepared data: plain dicts (an attempt's snapshot, the feedback's entries, an
article's segments), read as `entry.status` in the templates. Jinja reads `x.name` by trying
the attribute first and, when that raises AttributeError, the key: for a dict, an exception
raised and caught on nearly every read, a thousand times on a feedback page. Here a plain
dict's key is read at once when the name is none of a dict's own attributes, which is exactly
when Jinja would have fallen back to the key; `answers.get(...)` and `filters.items()` still
find the method.
"""

from __future__ import annotations

from typing import Any

from flask.templating import Environment as FlaskEnvironment

DICT_ATTRIBUTES = frozenset(dir(dict))


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
