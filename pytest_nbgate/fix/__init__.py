"""``nbgate fix``: repair, in place and byte for byte, what the gate finds and can safely fix.

:mod:`~pytest_nbgate.fix.plan` reads the repairs off the findings,
:mod:`~pytest_nbgate.fix.rewrite` applies them to the text (through
:mod:`~pytest_nbgate.fix.spans` and the golden writer), and
:mod:`~pytest_nbgate.fix.command` is the command itself.
"""
