"""Workflows: clock-in, clock-out, reap, init, verify, status — orchestrations of services."""
