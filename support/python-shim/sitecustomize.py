"""Compatibility shim for Debian 12's fence_compute / fence_evacuate (fence-agents 4.12.1) on Python 3.11.

Both agents call ``inspect.getargspec(client.Client).varargs`` in ``create_nova_connection()``; Python 3.11
removed ``getargspec`` (fixed upstream in fence-agents 4.17.0, commit deadda03). ``getfullargspec`` returns a
superset with the same ``varargs`` field, which is all the agents read. Prepend this directory to PYTHONPATH
to load it; nothing else is changed.
"""
import inspect

if not hasattr(inspect, "getargspec"):
    inspect.getargspec = inspect.getfullargspec
