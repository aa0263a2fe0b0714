"""Use cases: every state change is one action that authorises, writes, then emits."""
