"""Service layer: the operations of the platform, with no web or telephony code."""
