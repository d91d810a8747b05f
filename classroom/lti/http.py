"""The one road out: every request Classroom sends a platform (its key set, a service token,
scores, the roster, Dynamic Registration) goes through the session made here, with a time
limit, so that a platform that does not answer holds nothing up for long. The tests mount
their in-process platform on it (the `classroom.lti.transport` extension), so that nothing
they do reaches the network."""

from __future__ import annotations

import requests
from flask import current_app

TIMEOUT = (5, 10)  # seconds to connect, and to wait for each part of the answer
USER_AGENT = "Classroom-LTI/1.3"


class Session(requests.Session):
    """A requests session with a time limit on every request."""

    def request(self, method, url, **kwargs):  # noqa: D102 (requests' own signature)
        kwargs.setdefault("timeout", current_app.config.get("LTI_HTTP_TIMEOUT", TIMEOUT))
        return super().request(method, url, **kwargs)


def session() -> Session:
    """A session for talking to platforms (the test platform's, where one is mounted)."""
    made = Session()
    made.headers["User-Agent"] = USER_AGENT
    transport = current_app.extensions.get("classroom.lti.transport")
    if transport is not None:
        made.mount("https://", transport)
        made.mount("http://", transport)
    return made
