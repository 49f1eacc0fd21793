"""The ACD's defaults that the runtime applies and the platform reports (the wallboard's handle time)."""

#: Seconds an agent stays in wrap-up after a call when the queue sets none.
WRAP_UP_SECONDS = 5
