"""Chinwag: a self-hosted team chat server that speaks Rocket.Chat's APIs."""

__version__ = "0.1.0"
# The Rocket.Chat API level Chinwag answers to; clients semver-parse it.
ROCKETCHAT_API_VERSION = "8.0.0"
