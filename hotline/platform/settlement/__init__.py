"""Outsourcing settlement and vendor assessment (issue 15, parts 5 and 6; seeds 001 and 004).

terms.py checks a contract's terms; formula.py computes a month's statement from its inputs (pure, Decimal);
the services gather the inputs from the tenant's data, sign statements off and assess vendors.
"""
