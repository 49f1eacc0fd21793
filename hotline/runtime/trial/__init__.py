"""Trial calls: simulated calls through the simulator and the real runtime, for people — `hotline call`'s
report (report.py) and the designer's interactive keypad call (session.py, flow.py, switch.py, errors.py).
Product code, not tests: nothing here is collected by pytest."""
