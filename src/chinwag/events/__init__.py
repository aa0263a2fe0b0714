"""Events: one frozen dataclass per thing that happened, published after commit."""
