"""One live call's handling, from the outbound-socket connect to the call record: the route a dialled
number picks (routing.py), the handler (handler.py), the services the flow calls (services.py), the wait
in an agent queue (queue_wait.py, queue_settings.py), dispatch rules (dispatch_hook.py) and the context
the agent's desk reads while the call rings (context.py)."""
