"""Inter-procedural taint analysis (issue #3).

Each file's functions are interpreted once, in the worker that reviews the file, into a compact
summary whose taint is *symbolic*: it names where a value may come from (a parameter, a source,
the result of a call into the project, a field, a module global) instead of whether it is
attacker-controlled. The parent process then resolves the symbols across the whole project to a
fixed point (`solve.py`) and turns each sink reached by a real source into a finding with its
evidence path. Files stay independent in the expensive part, so the pool and the cache still
apply.
"""
