"""Use cases: the named operations a user can trigger, one transaction each.

Handlers decode an update, call one of these, render the result and send it. Every rule that
spans rows (stopping clears the snooze, a hold cancels a snooze, the user is created on first
contact) lives in exactly one function here. They take and return plain values: no ORM object
leaves this package.
"""
