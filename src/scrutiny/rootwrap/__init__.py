"""oslo.rootwrap filter files (`*.filters`): reading them with exact positions, reviewing their
entries (rules SCR120, SCR121) and checking Python's privileged call sites against them (SCR122).

The package keeps this `__init__` free of imports: rule modules import `scrutiny.rootwrap.ini`,
and the reviewer (`scrutiny.rootwrap.review`) imports the rule catalogue.
"""
