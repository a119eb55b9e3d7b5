"""Finding 5: validating an answer never touches the network. A correct Exercise 3 whose
datapackage.json names a remote profile on a server that drips one byte a second must not
make the grader connect (or wait). The forked engine's run only: validation happens in the
checker, after either engine."""

from __future__ import annotations

from conftest import row


def test_validation_never_fetches_a_remote_profile(forked_class):
    assert forked_class["network_requests"] == 0
    remote = row(forked_class, "remote")
    assert remote["check:check_quotes"] == "pass"  # the rest of the notebook is graded
