# pinroll's results as data (issue 8): one JSON line per host event, appended to the file named by
# $PINROLL_RESULTS, whatever stdout callback, colour or display settings the operator's Ansible uses.
from __future__ import annotations

import gc
import inspect
import json
import os
import re

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

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# a template that loads another one: what it loads depends on the search path of the templar that renders it
_LOADS = re.compile(r"\{%[-+]?\s*(include|import|from|extends)\b")


class CompiledTemplates:
    """
    Templates compiled once for the run, in this process, so that the workers it forks find them compiled.

    Ansible compiles a template every time it renders one (Jinja's parser and code generator, then Python's
    compiler: milliseconds each) and keeps none, so each forked worker compiled the role's templates again, on
    every host and task: half of a deploy worker's CPU (issue 14). A compiled template depends only on its text,
    its options and the environment's base directory, which make the key. Never kept: what a failed compile
    returns (it is bound to its templar), and a template that includes, imports or extends another (which one it
    loads depends on the search path of the templar rendering it, a `template` task's or lookup's own), or whose
    delimiters are not Ansible's own (such an include would not be seen). Ansible checks trust before it
    compiles, so a kept template is only ever found for a trusted string: data marked unsafe is never compiled,
    kept or not. Where this Ansible lacks these internals, nothing changes.
    """

    def __init__(self):
        self._engine = None
        try:
            from ansible._internal._templating import _engine, _jinja_bits

            engine_class = _engine.TemplateEngine
            kinds = (_jinja_bits.AnsibleTemplate, _jinja_bits.AnsibleTemplateExpression)
            delimiters = _jinja_bits.TemplateOverrides.DEFAULT
            # the options Ansible compiles with: templates' defaults, and conditionals' (TemplateEngine.evaluate_expression)
            self._template_options = _engine.TemplateOptions.DEFAULT
            self._expression_options = _engine.TemplateOptions(escape_backslashes=False, preserve_trailing_newlines=False)
            compilers = {name: getattr(engine_class, name) for name in ("_compile_template", "_compile_expression")}
            # the shape these have in ansible-core 2.19: (self, text, options); another shape is left alone
            if any(len(inspect.signature(c).parameters) != 3 for c in compilers.values()):
                raise AttributeError("another ansible-core")
        except (ImportError, AttributeError, TypeError, ValueError):
            self._engine_class = None
            return
        self._engine_class = engine_class
        kept = {}

        def keeping(name, compile_):
            def compile_kept(engine, *args, **kwargs):
                # not kept: a call of another shape, other delimiters (_LOADS would not see an include), an include
                text = str(args[0]) if len(args) == 2 and not kwargs else None
                if text is None or args[1].overrides != delimiters or _LOADS.search(text):
                    return compile_(engine, *args, **kwargs)
                key = (name, text, args[1], engine.basedir)
                compiled = kept.get(key)
                if compiled is None:
                    compiled = compile_(engine, *args)
                    if isinstance(compiled, kinds):
                        kept[key] = compiled
                return compiled

            return compile_kept

        if not getattr(engine_class, "_pinroll_keeps_compiled", False):
            for name, compile_ in compilers.items():
                setattr(engine_class, name, keeping(name, compile_))
            engine_class._pinroll_keeps_compiled = True

    def warm(self, task, given=()):
        """
        Compiles what the task's workers will: its arguments and conditions (its blocks' too), and the role
        defaults these name, transitively; a name in `given` (the run's extra variables) is not a default's.
        A head start only: whatever this cannot compile, a worker compiles as before.
        """
        if self._engine_class is None:
            return
        try:
            self._warm(task, given)
        except Exception:
            pass

    def _warm(self, task, given):
        if self._engine is None:
            self._engine = self._engine_class(loader=task._loader)
        defaults = task._role.get_default_vars() if task._role else {}
        conditions = []
        node = task
        while node is not None:
            conditions += [c for c in getattr(node, "when", None) or [] if isinstance(c, str)]
            node = getattr(node, "_parent", None)
        for attr in ("changed_when", "failed_when"):
            conditions += [c for c in getattr(task, attr, None) or [] if isinstance(c, str)]
        templates, named, pending = [], set(given), [*task.args.values(), *conditions]
        while pending:
            value = pending.pop()
            if isinstance(value, dict):
                pending += value.values()
            elif isinstance(value, (list, tuple)):
                pending += value
            elif isinstance(value, str):
                if "{{" in value or "{%" in value:
                    templates.append(value)
                for name in _NAME.findall(value):
                    if name in defaults and name not in named:
                        named.add(name)
                        pending.append(defaults[name])
        for template in templates:
            self._engine._compile_template(template, self._template_options)
        for condition in conditions:
            if "{{" not in condition:  # a templated condition is rendered first, then compiled as what it renders
                self._engine._compile_expression(condition, self._expression_options)


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
        self._compiled = CompiledTemplates()
        self._given = ()

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
        self._given = frozenset(getattr(play.get_variable_manager(), "extra_vars", None) or ())

    def v2_playbook_on_task_start(self, task, is_conditional):
        # Before Ansible forks this task's workers: they find its templates compiled (CompiledTemplates), and what
        # this process holds by now is out of the garbage collector's sight (gc.freeze, Python's advice before a
        # fork): a collection in a worker no longer writes to every object it inherited, copying the memory page
        # by page, and this process no longer walks them again between tasks (issue 14).
        self._compiled.warm(task, self._given)
        gc.freeze()

    def v2_runner_on_ok(self, result):
        self._event("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._event("failed", result, ignored=bool(ignore_errors))

    def v2_runner_on_unreachable(self, result):
        self._event("unreachable", result)
