"""The app as a WSGI server loads it: `gunicorn classroom.wsgi:app` (see gunicorn.conf.py).

Configuration comes from the instance folder (config.py, secret_key) and CLASSROOM_* variables.
"""

from . import create_app

app = create_app()
