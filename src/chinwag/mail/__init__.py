"""Outgoing mail: the SMTP transport and the background sender that drains the queue."""
