"""Seat sizing from volume and handle time (seed 003 §4.2): Erlang C and Erlang A, and interval plans."""
