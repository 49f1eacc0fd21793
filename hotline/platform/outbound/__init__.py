"""Outbound calling: contact lists, do-not-call lists and the compliance rules the dialer enforces (issue 13)."""
