"""Flask's hello world, the reference the benchmark measures the app's requests against.

Served by the same gunicorn, with the same gunicorn.conf.py, in the same run, so that what the
server, the kernel and this machine cost a request is the same on both sides of a ratio.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """The smallest page Flask serves."""
    return "Hello, World!"
