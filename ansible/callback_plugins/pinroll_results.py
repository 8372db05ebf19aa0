# pinroll's results as data (issue 8): one JSON line per host event, appended to the file named by
# $PINROLL_RESULTS, whatever stdout callback, colour or display settings the operator's Ansible uses.
from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase
from ansible.plugins.loader import filter_loader, lookup_loader, test_loader

DOCUMENTATION = """
name: pinroll_results
type: aggregate
short_description: write each host's pinroll outcome as JSON lines
description: Appends one JSON object per host event to the file named by the PINROLL_RESULTS environment variable.
requirements: [enable in callbacks_enabled]
"""


RESULT_LINE = "PINROLL_RESULT "


def _plain(value):
    """Ansible's tagged strings and lazy containers as plain JSON values."""
    return json.loads(json.dumps(value, default=str))


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "pinroll_results"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._path = os.environ.get("PINROLL_RESULTS")

    def _write(self, event):
        if not self._path:
            return
        with open(self._path, "a", encoding="utf-8") as f:
            f.write(json.dumps(event) + "\n")
            f.flush()

    def _event(self, status, result, **extra):
        r = result._result
        event = {"host": result._host.get_name(), "task": result._task.get_name(), "status": status}
        facts = r.get("ansible_facts") or {}
        if "pinroll_result" in facts:
            event["result"] = _plain(facts["pinroll_result"])
        # The happy path's outcome: a debug task's msg, or the PINROLL_RESULT line apply.sh prints once recorded
        # (pinroll skips the debug task, a worker per host). Either is this host's result.
        msg = r.get("msg")
        lines = [msg] if isinstance(msg, str) else []
        if isinstance(r.get("stdout"), str):
            lines += r["stdout"].splitlines()
        for line in lines if status == "ok" else []:
            if line.startswith(RESULT_LINE):
                try:
                    event["result"] = {**json.loads(line[len(RESULT_LINE) :]), "host": event["host"]}
                except ValueError:
                    pass  # not a result line after all: the task's status still tells
        if facts.get("pinroll_warning"):
            event["warning"] = _plain(facts["pinroll_warning"])
        for key in ("msg", "stdout", "stderr", "rc"):
            if key in r and r[key] not in (None, ""):
                value = _plain(r[key])
                event[key] = value[-4000:] if isinstance(value, str) else value
        event.update(extra)
        self._write(event)

    def v2_playbook_on_play_start(self, play):
        # Ansible loads a filter, test or lookup plugin where a template first uses it: in each forked worker, on
        # every host and task, unless this process loaded it before forking (issue 14). These are the ones the
        # role's per-host tasks use.
        for loader, names in (
            (filter_loader, ("quote", "b64encode", "regex_search", "regex_findall", "to_json", "bool")),
            (test_loader, ("search",)),
            (lookup_loader, ("file",)),
        ):
            for name in names:
                loader.get("ansible.builtin." + name)

    def v2_runner_on_ok(self, result):
        self._event("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._event("failed", result, ignored=bool(ignore_errors))

    def v2_runner_on_unreachable(self, result):
        self._event("unreachable", result)
