"""The task types: every module of this package defines some and registers them on import.

A new task type is one module here (its class, registered with @task_type) and one template,
templates/tasks/TYPE.html, with the macros intro, work, feedback and answer_key; and, for the
studio, its editor's fields on the class (editor.py) and templates/tasks/editor/TYPE.html with
the macro fields. editor.py defines no type of its own.
"""

import importlib
import pkgutil

from .base import (
    ID_PATTERN,
    TASK_TYPES,
    Context,
    InvalidAnswer,
    Task,
    read_task,
    unknown_article,
)

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
# in the order authors meet them: the check's hints, the schema and the docs list them so
for _name, _cls in sorted(TASK_TYPES.items(), key=lambda item: item[1].position):
    TASK_TYPES[_name] = TASK_TYPES.pop(_name)

__all__ = [
    "ID_PATTERN",
    "TASK_TYPES",
    "Context",
    "InvalidAnswer",
    "Task",
    "read_task",
    "unknown_article",
]
