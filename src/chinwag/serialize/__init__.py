"""Domain records in Rocket.Chat's wire shapes, shared by the REST and DDP adapters.

Dates go through a `date` function: ISO strings for REST, EJSON `{"$date": ms}` for DDP.
"""
